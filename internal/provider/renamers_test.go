package provider_test

import (
	"context"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
)

// TestRenamers guards the generated names of every resource: a resource
// whose ModifyPlan gives a replacement a fresh generated name
// (reconcile.Renamer) must list exactly the attributes its schema replaces
// on, so that an immutable attribute added later cannot keep the old name
// on a replacement; and a resource with an optional, computed name that
// forces a replacement (the shape of a generated name) must be a Renamer.
func TestRenamers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := provider.New("test")()
	renamers := 0
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: provider.TypeName}, &meta)
		if rn, ok := r.(reconcile.Renamer); ok {
			renamers++
			if err := reconcile.CheckRenamer(ctx, rn); err != nil {
				t.Errorf("%s: %v", meta.TypeName, err)
			}
			continue
		}
		var sr resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &sr)
		replaced, err := reconcile.ReplaceAttributes(ctx, sr.Schema)
		if err != nil {
			t.Errorf("%s: %v", meta.TypeName, err)
			continue
		}
		if name, ok := sr.Schema.Attributes["name"].(schema.StringAttribute); ok && name.Optional && name.Computed && slices.Contains(replaced, "name") {
			t.Errorf("%s has an optional, computed name that forces a replacement, but is no reconcile.Renamer: "+
				"a replacement would keep the old name", meta.TypeName)
		}
	}
	if renamers < 2 {
		t.Errorf("%d resources are Renamers, want ncp_vpc and ncp_subnet at least", renamers)
	}
}
