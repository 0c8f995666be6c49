package ncplocal_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
)

// TestHugePageNumbersOnEveryListAction: the page numbers of issue 10 item 1,
// whose offset overflowed an int and panicked, get the documented
// invalid-parameter error from every legacy list action, through the whole
// server, and no handler panics; the largest valid pageNo is an empty page.
func TestHugePageNumbersOnEveryListAction(t *testing.T) {
	t.Parallel()
	srv, err := ncplocal.New(ncplocal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	cred := ncplocal.DefaultCredential
	for _, action := range []string{
		"/vpc/v2/getVpcList", "/vpc/v2/getSubnetList", "/vpc/v2/getNetworkAclList", "/vpc/v2/getRouteTableList",
		"/vserver/v2/getAccessControlGroupList",
	} {
		for _, paging := range []string{"pageNo=9223372036854775807&pageSize=2", "pageNo=4611686018427387904&pageSize=4"} {
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				code, body := signedCall(srv, cred, method, action+"?responseFormatType=json&"+paging)
				if code != http.StatusBadRequest || !strings.Contains(string(body), `"returnCode":"`+legacy.CodeInvalidParameter+`"`) ||
					!strings.Contains(string(body), "pageNo must be an integer from 0 to 2147483647") {
					t.Errorf("%s %s?%s: %d %s, want 400 with returnCode %s naming pageNo", method, action, paging, code, body, legacy.CodeInvalidParameter)
				}
			}
		}
		code, body := signedCall(srv, cred, http.MethodGet, action+"?responseFormatType=json&pageNo=2147483647&pageSize=1000")
		if code != http.StatusOK || !strings.Contains(string(body), `"totalRows":`) {
			t.Errorf("%s with the largest pageNo: %d %s, want an empty page", action, code, body)
		}
	}
	if p := srv.TakePanics(); len(p) > 0 {
		t.Errorf("handlers panicked: %q", p)
	}
}
