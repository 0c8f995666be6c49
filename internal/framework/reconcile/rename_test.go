package reconcile_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
)

// widgetResource is a Renamer whose schema and list are the test's.
type widgetResource struct {
	attrs  map[string]schema.Attribute
	listed []string
}

func (r *widgetResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "ncp_widget"
}

func (r *widgetResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: r.attrs}
}

func (r *widgetResource) Create(context.Context, resource.CreateRequest, *resource.CreateResponse) {}
func (r *widgetResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse)       {}
func (r *widgetResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (r *widgetResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func (r *widgetResource) GeneratedName() (string, []string) { return "name", r.listed }

// widgetAttributes has a generated name, three replace-forcing attributes
// of three types (one through RequiresReplaceIf) and two updatable ones.
func widgetAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"name": schema.StringAttribute{Optional: true, Computed: true, PlanModifiers: []planmodifier.String{
			stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()}},
		"size": schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}},
		"zone": schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(
			func(_ context.Context, _ planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
				resp.RequiresReplace = true
			}, "zone", "zone")}},
		"count":   schema.Int64Attribute{Optional: true, PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()}},
		"enabled": schema.BoolAttribute{Optional: true, PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}},
		"color":   schema.StringAttribute{Optional: true},
	}
}

func TestReplaceAttributes(t *testing.T) {
	t.Parallel()
	got, err := reconcile.ReplaceAttributes(context.Background(), schema.Schema{Attributes: widgetAttributes()})
	if want := []string{"count", "name", "size", "zone"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("ReplaceAttributes = %q, %v; want %q", got, err, want)
	}

	// A modifier it cannot run is an error, not a silent pass.
	attrs := widgetAttributes()
	attrs["tags"] = schema.ListAttribute{ElementType: types.StringType, Optional: true,
		PlanModifiers: []planmodifier.List{listplanmodifier.RequiresReplace()}}
	if _, err := reconcile.ReplaceAttributes(context.Background(), schema.Schema{Attributes: attrs}); err == nil ||
		!strings.Contains(err.Error(), "attribute tags") {
		t.Errorf("ReplaceAttributes with a list modifier: %v, want an error naming tags", err)
	}
}

func TestCheckRenamer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if err := reconcile.CheckRenamer(ctx, &widgetResource{attrs: widgetAttributes(), listed: []string{"zone", "size", "count"}}); err != nil {
		t.Errorf("a complete list: %v", err)
	}
	// A new immutable attribute missing from the list is caught.
	err := reconcile.CheckRenamer(ctx, &widgetResource{attrs: widgetAttributes(), listed: []string{"size", "zone"}})
	if err == nil || !strings.Contains(err.Error(), `schema's plan modifiers replace on ["count" "size" "zone"]`) {
		t.Errorf("a list missing count: %v", err)
	}
	// So is an attribute listed that no longer forces a replacement.
	err = reconcile.CheckRenamer(ctx, &widgetResource{attrs: widgetAttributes(), listed: []string{"count", "size", "zone", "color"}})
	if err == nil || !strings.Contains(err.Error(), `lists the replace-forcing attributes ["color" "count" "size" "zone"]`) {
		t.Errorf("a list with color: %v", err)
	}
	attrs := widgetAttributes()
	delete(attrs, "name")
	if err := reconcile.CheckRenamer(ctx, &widgetResource{attrs: attrs}); err == nil {
		t.Error("a schema without the name attribute passed")
	}
}

// modifyPlan runs RenameOnReplace on a widget with state, plan and config
// values (attributes not given are null) and returns the planned name.
func modifyPlan(t *testing.T, state, plan, config map[string]tftypes.Value) string {
	t.Helper()
	ctx := context.Background()
	s := schema.Schema{Attributes: widgetAttributes()}
	typ := s.Type().TerraformType(ctx)
	obj := func(vals map[string]tftypes.Value) tftypes.Value {
		if vals == nil {
			return tftypes.NewValue(typ, nil)
		}
		all := map[string]tftypes.Value{}
		for n, at := range typ.(tftypes.Object).AttributeTypes { //nolint:forcetypeassert // a schema's type is an object
			all[n] = tftypes.NewValue(at, nil)
		}
		for n, v := range vals {
			all[n] = v
		}
		return tftypes.NewValue(typ, all)
	}
	req := resource.ModifyPlanRequest{
		State:  tfsdk.State{Schema: s, Raw: obj(state)},
		Plan:   tfsdk.Plan{Schema: s, Raw: obj(plan)},
		Config: tfsdk.Config{Schema: s, Raw: obj(config)},
	}
	resp := &resource.ModifyPlanResponse{Plan: req.Plan}
	reconcile.RenameOnReplace(ctx, req, resp, "name", []string{"size", "zone", "count"})
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if resp.Plan.Raw.IsNull() {
		return "<destroy>"
	}
	var name types.String
	if d := resp.Plan.GetAttribute(ctx, path.Root("name"), &name); d.HasError() {
		t.Fatal(d)
	}
	if name.IsUnknown() {
		return "<unknown>"
	}
	return name.ValueString()
}

func TestRenameOnReplace(t *testing.T) {
	t.Parallel()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	state := map[string]tftypes.Value{"name": str("tf-widget-abcd1234"), "size": str("s"), "zone": str("z1"),
		"count": tftypes.NewValue(tftypes.Number, 1)}
	with := func(k string, v tftypes.Value) map[string]tftypes.Value {
		m := map[string]tftypes.Value{}
		for n, x := range state {
			m[n] = x
		}
		m[k] = v
		return m
	}
	config := map[string]tftypes.Value{"size": str("s"), "zone": str("z1")}

	if got := modifyPlan(t, state, state, config); got != "tf-widget-abcd1234" {
		t.Errorf("nothing replaced: name %s, want the state's", got)
	}
	if got := modifyPlan(t, state, with("color", str("red")), config); got != "tf-widget-abcd1234" {
		t.Errorf("in-place change: name %s, want the state's", got)
	}
	for attr, v := range map[string]tftypes.Value{"size": str("m"), "zone": unknown, "count": tftypes.NewValue(tftypes.Number, 2)} {
		if got := modifyPlan(t, state, with(attr, v), config); got != "<unknown>" {
			t.Errorf("%s changes: name %s, want a fresh one (unknown)", attr, got)
		}
	}
	// A configured name is the user's: kept even on a replacement.
	configured := map[string]tftypes.Value{"name": str("tf-widget-abcd1234"), "size": str("m")}
	if got := modifyPlan(t, state, with("size", str("m")), configured); got != "tf-widget-abcd1234" {
		t.Errorf("configured name on a replacement: %s, want it kept", got)
	}
	// Create and destroy are left alone.
	if got := modifyPlan(t, nil, with("name", unknown), config); got != "<unknown>" {
		t.Errorf("create: name %s", got)
	}
	if got := modifyPlan(t, state, nil, nil); got != "<destroy>" {
		t.Errorf("destroy: plan %s", got)
	}
}
