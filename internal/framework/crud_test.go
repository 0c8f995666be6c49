package framework_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
)

// crudModel is a resource model with a timeouts block.
type crudModel struct {
	Name     types.String   `tfsdk:"name"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// wrongModel does not match crudTestSchema: decoding into it fails.
type wrongModel struct {
	Other types.String `tfsdk:"other"`
}

func crudTestSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		Attributes: map[string]schema.Attribute{"name": schema.StringAttribute{Optional: true}},
		Blocks:     map[string]schema.Block{"timeouts": framework.TimeoutsBlockWithUpdate(ctx, "a", "b", "c")},
	}
}

// crudRaw is a value of crudTestSchema: name, and the timeouts block's
// values (a missing key is null, no timeouts at all a null block).
func crudRaw(t *testing.T, s schema.Schema, name string, tos map[string]string) tftypes.Value {
	t.Helper()
	ctx := context.Background()
	objType, ok := s.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("schema type %T", s.Type().TerraformType(ctx))
	}
	toType, ok := objType.AttributeTypes["timeouts"].(tftypes.Object)
	if !ok {
		t.Fatalf("timeouts type %T", objType.AttributeTypes["timeouts"])
	}
	toValue := tftypes.NewValue(toType, nil)
	if tos != nil {
		vals := map[string]tftypes.Value{}
		for k := range toType.AttributeTypes {
			vals[k] = tftypes.NewValue(tftypes.String, nil)
			if v, set := tos[k]; set {
				vals[k] = tftypes.NewValue(tftypes.String, v)
			}
		}
		toValue = tftypes.NewValue(toType, vals)
	}
	return tftypes.NewValue(objType, map[string]tftypes.Value{
		"name":     tftypes.NewValue(tftypes.String, name),
		"timeouts": toValue,
	})
}

// wantDeadline checks that ctx ends about d from now.
func wantDeadline(t *testing.T, ctx context.Context, d time.Duration) {
	t.Helper()
	deadline, set := ctx.Deadline()
	if left := time.Until(deadline); !set || left > d || left < d-time.Minute {
		t.Errorf("deadline %v (set %v), want about %s from now", deadline, set, d)
	}
}

// wantNotConfigured checks the result of a helper called with a nil meta.
func wantNotConfigured(t *testing.T, ok bool, diags diag.Diagnostics, m crudModel) {
	t.Helper()
	if ok || diags.ErrorsCount() != 1 || diags.Errors()[0].Summary() != "Provider not configured" {
		t.Errorf("ok = %v, diagnostics = %v; want false and \"Provider not configured\"", ok, diags)
	}
	if !m.Name.IsNull() {
		t.Errorf("model decoded (%v) although the provider is not configured", m.Name)
	}
}

func TestBeginCreate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := crudTestSchema(ctx)
	meta := &conns.Meta{}

	plan := tfsdk.Plan{Schema: s, Raw: crudRaw(t, s, "x", map[string]string{"create": "90s"})}
	var m crudModel
	var diags diag.Diagnostics
	cctx, cancel, ok := framework.BeginCreate(ctx, meta, plan, &m, &m.Timeouts, &diags)
	defer cancel()
	if !ok || diags.HasError() || m.Name.ValueString() != "x" {
		t.Fatalf("ok = %v, diagnostics = %v, name = %v", ok, diags, m.Name)
	}
	wantDeadline(t, cctx, 90*time.Second)

	// Without a timeouts block: the default.
	plan.Raw = crudRaw(t, s, "x", nil)
	cctx, cancel2, ok := framework.BeginCreate(ctx, meta, plan, &m, &m.Timeouts, &diags)
	defer cancel2()
	if !ok {
		t.Fatalf("no timeouts block: %v", diags)
	}
	wantDeadline(t, cctx, framework.DefaultCreateTimeout)

	// A timeout that is not a duration is the block's error.
	plan.Raw = crudRaw(t, s, "x", map[string]string{"create": "soon"})
	_, cancel3, ok := framework.BeginCreate(ctx, meta, plan, &m, &m.Timeouts, &diags)
	cancel3()
	if ok || !diags.HasError() {
		t.Errorf("create timeout \"soon\": ok = %v, diagnostics = %v; want an error", ok, diags)
	}

	var none crudModel
	diags = nil
	_, cancel4, ok := framework.BeginCreate(ctx, nil, plan, &none, &none.Timeouts, &diags)
	cancel4()
	wantNotConfigured(t, ok, diags, none)
}

func TestBeginUpdate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := crudTestSchema(ctx)
	plan := tfsdk.Plan{Schema: s, Raw: crudRaw(t, s, "new", map[string]string{"update": "3m", "delete": "1m"})}
	state := tfsdk.State{Schema: s, Raw: crudRaw(t, s, "old", map[string]string{"update": "7m"})}
	var p, st crudModel
	var diags diag.Diagnostics
	cctx, cancel, ok := framework.BeginUpdate(ctx, &conns.Meta{}, plan, state, &p, &st, &p.Timeouts, &diags)
	defer cancel()
	if !ok || p.Name.ValueString() != "new" || st.Name.ValueString() != "old" {
		t.Fatalf("ok = %v, diagnostics = %v, plan %v, state %v", ok, diags, p.Name, st.Name)
	}
	wantDeadline(t, cctx, 3*time.Minute)

	// The state is decoded even when the plan fails, as both were read
	// before: every error is reported at once.
	var w wrongModel
	diags = nil
	_, cancel2, ok := framework.BeginUpdate(ctx, &conns.Meta{}, plan, state, &w, &w, new(timeouts.Value), &diags)
	cancel2()
	if ok || diags.ErrorsCount() != 2 {
		t.Errorf("wrong model: ok = %v, diagnostics = %v; want false and two errors", ok, diags)
	}

	var none crudModel
	diags = nil
	_, cancel3, ok := framework.BeginUpdate(ctx, nil, plan, state, &none, &none, &none.Timeouts, &diags)
	cancel3()
	wantNotConfigured(t, ok, diags, none)
}

func TestBeginDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := crudTestSchema(ctx)
	state := tfsdk.State{Schema: s, Raw: crudRaw(t, s, "x", map[string]string{"create": "1m", "delete": "45m"})}
	var m crudModel
	var diags diag.Diagnostics
	cctx, cancel, ok := framework.BeginDelete(ctx, &conns.Meta{}, state, &m, &m.Timeouts, &diags)
	defer cancel()
	if !ok || m.Name.ValueString() != "x" {
		t.Fatalf("ok = %v, diagnostics = %v, name = %v", ok, diags, m.Name)
	}
	wantDeadline(t, cctx, 45*time.Minute)

	var none crudModel
	diags = nil
	_, cancel2, ok := framework.BeginDelete(ctx, nil, state, &none, &none.Timeouts, &diags)
	cancel2()
	wantNotConfigured(t, ok, diags, none)
}

func TestConfiguredPlanAndState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := crudTestSchema(ctx)
	raw := crudRaw(t, s, "x", nil)
	var m crudModel
	var diags diag.Diagnostics
	if !framework.ConfiguredPlan(ctx, &conns.Meta{}, tfsdk.Plan{Schema: s, Raw: raw}, &m, &diags) || m.Name.ValueString() != "x" {
		t.Errorf("ConfiguredPlan: %v, name %v", diags, m.Name)
	}
	m = crudModel{}
	if !framework.ConfiguredState(ctx, &conns.Meta{}, tfsdk.State{Schema: s, Raw: raw}, &m, &diags) || m.Name.ValueString() != "x" {
		t.Errorf("ConfiguredState: %v, name %v", diags, m.Name)
	}
	var w wrongModel
	if framework.ConfiguredState(ctx, &conns.Meta{}, tfsdk.State{Schema: s, Raw: raw}, &w, &diags) || !diags.HasError() {
		t.Errorf("ConfiguredState into a wrong model: %v; want an error", diags)
	}
	var p, st crudModel
	diags = nil
	plan := tfsdk.Plan{Schema: s, Raw: crudRaw(t, s, "new", nil)}
	if !framework.ConfiguredPlanAndState(ctx, &conns.Meta{}, plan, tfsdk.State{Schema: s, Raw: raw}, &p, &st, &diags) ||
		p.Name.ValueString() != "new" || st.Name.ValueString() != "x" {
		t.Errorf("ConfiguredPlanAndState: %v, plan %v, state %v", diags, p.Name, st.Name)
	}
	var none crudModel
	diags = nil
	if framework.ConfiguredPlanAndState(ctx, nil, plan, tfsdk.State{Schema: s, Raw: raw}, &none, &none, &diags) {
		t.Error("ConfiguredPlanAndState without meta: ok")
	}
	wantNotConfigured(t, false, diags, none)
	diags = nil
	ok := framework.ConfiguredPlan(ctx, nil, tfsdk.Plan{Schema: s, Raw: raw}, &none, &diags)
	wantNotConfigured(t, ok, diags, none)
	diags = nil
	ok = framework.ConfiguredState(ctx, nil, tfsdk.State{Schema: s, Raw: raw}, &none, &diags)
	wantNotConfigured(t, ok, diags, none)
}

func TestBeginRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := crudTestSchema(ctx)
	// The create timeout of the block does not bound a Read.
	state := tfsdk.State{Schema: s, Raw: crudRaw(t, s, "x", map[string]string{"create": "1s"})}
	var m crudModel
	var diags diag.Diagnostics
	cctx, cancel, ok := framework.BeginRead(ctx, &conns.Meta{}, state, &m, &diags)
	if !ok || m.Name.ValueString() != "x" {
		t.Fatalf("ok = %v, diagnostics = %v, name = %v", ok, diags, m.Name)
	}
	wantDeadline(t, cctx, framework.DefaultReadTimeout)
	cancel()
	if cctx.Err() == nil {
		t.Error("cancel did not end the context")
	}

	var w wrongModel
	_, cancel2, ok := framework.BeginRead(ctx, &conns.Meta{}, state, &w, &diags)
	cancel2()
	if ok || !diags.HasError() {
		t.Errorf("wrong model: ok = %v, diagnostics = %v; want an error", ok, diags)
	}

	var none crudModel
	diags = nil
	_, cancel3, ok := framework.BeginRead(ctx, nil, state, &none, &diags)
	cancel3()
	wantNotConfigured(t, ok, diags, none)
}

func TestBeginDataSourceReadAndConfiguredConfig(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := dsschema.Schema{Attributes: map[string]dsschema.Attribute{"name": dsschema.StringAttribute{Optional: true}}}
	type dsModel struct {
		Name types.String `tfsdk:"name"`
	}
	raw := tftypes.NewValue(s.Type().TerraformType(ctx), map[string]tftypes.Value{"name": tftypes.NewValue(tftypes.String, "x")})
	config := tfsdk.Config{Schema: s, Raw: raw}
	var m dsModel
	var diags diag.Diagnostics
	cctx, cancel, ok := framework.BeginDataSourceRead(ctx, &conns.Meta{}, config, &m, &diags)
	defer cancel()
	if !ok || m.Name.ValueString() != "x" {
		t.Fatalf("ok = %v, diagnostics = %v, name = %v", ok, diags, m.Name)
	}
	wantDeadline(t, cctx, framework.DefaultReadTimeout)

	var w wrongModel
	_, cancel2, ok := framework.BeginDataSourceRead(ctx, &conns.Meta{}, config, &w, &diags)
	cancel2()
	if ok || !diags.HasError() {
		t.Errorf("wrong model: ok = %v, diagnostics = %v; want an error", ok, diags)
	}

	m = dsModel{}
	diags = nil
	if !framework.ConfiguredConfig(ctx, &conns.Meta{}, config, &m, &diags) || m.Name.ValueString() != "x" {
		t.Errorf("ConfiguredConfig: %v, name %v", diags, m.Name)
	}
	if framework.ConfiguredConfig(ctx, &conns.Meta{}, config, &w, &diags) || !diags.HasError() {
		t.Errorf("ConfiguredConfig into a wrong model: %v; want an error", diags)
	}
	diags = nil
	if framework.ConfiguredConfig(ctx, nil, config, &dsModel{}, &diags) || diags.ErrorsCount() != 1 {
		t.Errorf("ConfiguredConfig without meta: %v; want one error", diags)
	}

	var none dsModel
	diags = nil
	_, cancel3, ok := framework.BeginDataSourceRead(ctx, nil, config, &none, &diags)
	cancel3()
	if ok || diags.ErrorsCount() != 1 || !strings.Contains(diags.Errors()[0].Summary(), "not configured") || !none.Name.IsNull() {
		t.Errorf("nil meta: ok = %v, diagnostics = %v, name %v", ok, diags, none.Name)
	}
}
