package objectstorage_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/service/objectstorage"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// FuzzBucketNameRulesAgree: the provider's plan-time check of bucket_name
// and the check ncplocal answers with (wire.ValidateBucketName) accept the
// same names, and refuse the others for the same rule, with the same
// character count and position (issue 10 item 9).
func FuzzBucketNameRulesAgree(f *testing.F) {
	for _, seed := range []string{
		"abc", "a.b.c", "ab", strings.Repeat("a", 64), "버킷-abc", "가나다", "abc가", strings.Repeat("가", 64),
		"1.2.3.4", "a..b", "a.-b", "-ab", "ab-", "Abc", "a_b", "abc\xff", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		req := validator.StringRequest{Path: path.Root("bucket_name"), ConfigValue: types.StringValue(name)}
		var resp validator.StringResponse
		objectstorage.BucketNameValidator.ValidateString(t.Context(), req, &resp)
		err := wire.ValidateBucketName(name)
		provider, emulator := !resp.Diagnostics.HasError(), err == nil
		if provider != emulator {
			t.Fatalf("%q: the provider accepts it: %v, ncplocal accepts it: %v (%v)", name, provider, emulator, err)
		}
		if err == nil {
			return
		}
		var bne *wire.BucketNameError
		if !errors.As(err, &bne) {
			t.Fatalf("%q: %T", name, err)
		}
		if detail := resp.Diagnostics.Errors()[0].Detail(); !strings.Contains(detail, bne.Rule) {
			t.Fatalf("%q: the provider says %q, ncplocal says %q", name, detail, bne.Rule)
		}
	})
}
