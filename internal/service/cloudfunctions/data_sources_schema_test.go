package cloudfunctions

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

// Whatever may hold a secret is Sensitive in the data sources: the
// parameters of packages and actions (NCP does not say which are secret,
// and after an import none is known to be plain) and what activations
// returned or printed.
func TestDataSourcesMarkSecretsSensitive(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		ds    datasource.DataSource
		attrs []string
	}{
		{NewPackageDataSource(), []string{"parameters"}},
		{NewActionDataSource(), []string{"parameters"}},
		{NewActivationsDataSource(), []string{"activations.result", "activations.logs"}},
	} {
		var resp datasource.SchemaResponse
		tc.ds.Schema(context.Background(), datasource.SchemaRequest{}, &resp)
		var meta datasource.MetadataResponse
		tc.ds.Metadata(context.Background(), datasource.MetadataRequest{ProviderTypeName: "ncp"}, &meta)
		for _, name := range tc.attrs {
			var a schema.Attribute
			if nested, ok := strings.CutPrefix(name, "activations."); ok {
				list, isList := resp.Schema.Attributes["activations"].(schema.ListNestedAttribute)
				if !isList {
					t.Fatalf("%s: activations is not a list of objects", meta.TypeName)
				}
				a = list.NestedObject.Attributes[nested]
			} else {
				a = resp.Schema.Attributes[name]
			}
			if a == nil || !a.IsSensitive() {
				t.Errorf("%s: %s is not Sensitive", meta.TypeName, name)
			}
		}
	}
}
