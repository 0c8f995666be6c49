package fwmodel

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// testSchema has the kinds of attributes the provider's resources use,
// and a few more.
func testSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":         schema.StringAttribute{Computed: true},
			"name":       schema.StringAttribute{Optional: true, Computed: true},
			"usage_type": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("GEN")},
			"count":      schema.Int64Attribute{Optional: true},
			"enabled":    schema.BoolAttribute{Optional: true},
			"tags":       schema.ListAttribute{ElementType: types.StringType, Optional: true},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Delete: true}),
		},
	}
}

// baseModel is embedded, unexported, as the resources embed the model
// they share with their data source.
type baseModel struct {
	ID        types.String `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	UsageType types.String `tfsdk:"usage_type"`
	Count     types.Int64  `tfsdk:"count"`
	Enabled   types.Bool   `tfsdk:"enabled"`
	Tags      types.List   `tfsdk:"tags"`
}

type testModel struct {
	baseModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// randomValue returns a null, unknown or known value of type t.
func randomValue(r *rand.Rand, t tftypes.Type) tftypes.Value {
	switch r.IntN(4) {
	case 0:
		return tftypes.NewValue(t, nil)
	case 1:
		if _, isObject := t.(tftypes.Object); !isObject { // the timeouts block is never unknown in state
			return tftypes.NewValue(t, tftypes.UnknownValue)
		}
	}
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, fmt.Sprintf("v-%d \"q\"", r.IntN(1000)))
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, r.IntN(1<<20)-1<<19)
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, r.IntN(2) == 0)
	case t.Is(tftypes.List{}):
		var elems []tftypes.Value
		for range r.IntN(3) {
			elems = append(elems, randomValue(r, t.(tftypes.List).ElementType)) //nolint:forcetypeassert // checked by Is
		}
		return tftypes.NewValue(t, elems)
	case t.Is(tftypes.Object{}):
		obj := t.(tftypes.Object) //nolint:forcetypeassert // checked by Is
		vals := map[string]tftypes.Value{}
		for name, at := range obj.AttributeTypes {
			vals[name] = randomValue(r, at)
		}
		return tftypes.NewValue(t, vals)
	}
	panic("no random value for " + t.String())
}

// TestEquivalence decodes and encodes random states with this package and
// with the Framework, and requires the same models and the same values.
func TestEquivalence(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sch := testSchema(ctx)
	objType := sch.Type().TerraformType(ctx).(tftypes.Object) //nolint:forcetypeassert // a schema's type is an object
	if m := mappingOf(ctx, sch, reflect.TypeFor[testModel](), objType); !m.ok {
		t.Fatal("the test model does not qualify for the fast path")
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		raw := randomValue(r, objType)
		if !raw.IsKnown() || raw.IsNull() {
			continue
		}
		state := tfsdk.State{Schema: sch, Raw: raw}

		var fast, slow testModel
		if !get(ctx, sch, raw, &fast) {
			t.Fatalf("case %d: the model went to the Framework's Get", i)
		}
		fd, sd := GetState(ctx, state, &fast), state.Get(ctx, &slow)
		if fd.HasError() || sd.HasError() || !reflect.DeepEqual(fast, slow) {
			t.Fatalf("case %d: %v\nfwmodel: %+v %v\nFramework: %+v %v", i, raw, fast, fd, slow, sd)
		}
		plan := tfsdk.Plan{Schema: sch, Raw: raw}
		var fromPlan testModel
		if d := GetPlan(ctx, plan, &fromPlan); d.HasError() || !reflect.DeepEqual(fromPlan, slow) {
			t.Fatalf("case %d: GetPlan %+v %v", i, fromPlan, d)
		}

		if _, ok := encode(ctx, sch, objType, &fast); !ok {
			t.Fatalf("case %d: the model went to the Framework's Set", i)
		}
		fastState := tfsdk.State{Schema: sch, Raw: tftypes.NewValue(objType, nil)}
		slowState := fastState
		fd, sd = SetState(ctx, &fastState, &fast), slowState.Set(ctx, &slow)
		if fd.HasError() || sd.HasError() || !fastState.Raw.Equal(slowState.Raw) {
			t.Fatalf("case %d: set\nfwmodel: %v %v\nFramework: %v %v", i, fastState.Raw, fd, slowState.Raw, sd)
		}
		if !fastState.Raw.Equal(raw) {
			t.Fatalf("case %d: round trip changed %v into %v", i, raw, fastState.Raw)
		}
		// A value, not a pointer, works too.
		if d := SetState(ctx, &fastState, slow); d.HasError() || !fastState.Raw.Equal(raw) {
			t.Fatalf("case %d: set by value: %v %v", i, fastState.Raw, d)
		}
	}
}

// Models and values this package does not handle itself go to the
// Framework, whose diagnostics the caller then gets.
func TestFallback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sch := testSchema(ctx)
	objType := sch.Type().TerraformType(ctx)
	r := rand.New(rand.NewPCG(3, 4))
	var raw tftypes.Value
	for raw = randomValue(r, objType); !raw.IsKnown() || raw.IsNull(); raw = randomValue(r, objType) {
	}
	state := tfsdk.State{Schema: sch, Raw: raw}

	type missingField struct {
		ID types.String `tfsdk:"id"`
	}
	type untagged struct {
		testModel
		Extra types.String
	}
	type embeddedPointer struct {
		*baseModel
		Timeouts timeouts.Value `tfsdk:"timeouts"`
	}
	type wrongType struct {
		ID        types.Int64    `tfsdk:"id"`
		Name      types.String   `tfsdk:"name"`
		UsageType types.String   `tfsdk:"usage_type"`
		Count     types.Int64    `tfsdk:"count"`
		Enabled   types.Bool     `tfsdk:"enabled"`
		Tags      types.List     `tfsdk:"tags"`
		Timeouts  timeouts.Value `tfsdk:"timeouts"`
	}
	for name, target := range map[string]any{
		"missing field": &missingField{}, "untagged field": &untagged{}, "embedded pointer": &embeddedPointer{}, "wrong type": &wrongType{}, "not a struct": new(string),
	} {
		if d := GetState(ctx, state, target); !d.HasError() {
			t.Errorf("%s: GetState accepted it", name)
		} else if want := state.Get(ctx, target); d.ErrorsCount() != want.ErrorsCount() || d[0].Summary() != want[0].Summary() {
			t.Errorf("%s: diagnostics %v, the Framework's %v", name, d, want)
		}
	}
	// A null state is the Framework's to judge.
	null := tfsdk.State{Schema: sch, Raw: tftypes.NewValue(objType, nil)}
	var m testModel
	if d, want := GetState(ctx, null, &m), null.Get(ctx, &testModel{}); d.HasError() != want.HasError() {
		t.Errorf("null state: %v, the Framework: %v", d, want)
	}
	// A zero timeouts value (no attribute types) cannot be encoded here;
	// the Framework's Set decides.
	var zero testModel
	s1, s2 := null, null
	d1, d2 := SetState(ctx, &s1, &zero), s2.Set(ctx, &zero)
	if d1.HasError() != d2.HasError() || !s1.Raw.Equal(s2.Raw) {
		t.Errorf("zero model: %v %v, the Framework: %v %v", s1.Raw, d1, s2.Raw, d2)
	}
	// So is a nil model.
	s1, s2 = null, null
	d1, d2 = SetState(ctx, &s1, (*testModel)(nil)), s2.Set(ctx, (*testModel)(nil))
	if d1.HasError() != d2.HasError() || !s1.Raw.Equal(s2.Raw) {
		t.Errorf("nil model: %v %v, the Framework: %v %v", s1.Raw, d1, s2.Raw, d2)
	}
}

func BenchmarkGetSetState(b *testing.B) {
	ctx := context.Background()
	sch := testSchema(ctx)
	objType := sch.Type().TerraformType(ctx)
	r := rand.New(rand.NewPCG(5, 6))
	var raw tftypes.Value
	for raw = randomValue(r, objType); !raw.IsKnown() || raw.IsNull(); raw = randomValue(r, objType) {
	}
	b.Run("fwmodel", func(b *testing.B) {
		for b.Loop() {
			state := tfsdk.State{Schema: sch, Raw: raw}
			var m testModel
			if d := GetState(ctx, state, &m); d.HasError() {
				b.Fatal(d)
			}
			if d := SetState(ctx, &state, &m); d.HasError() {
				b.Fatal(d)
			}
		}
	})
	b.Run("framework", func(b *testing.B) {
		for b.Loop() {
			state := tfsdk.State{Schema: sch, Raw: raw}
			var m testModel
			if d := state.Get(ctx, &m); d.HasError() {
				b.Fatal(d)
			}
			if d := state.Set(ctx, &m); d.HasError() {
				b.Fatal(d)
			}
		}
	})
}
