// Package fwmodel reads and writes a resource's state and plan as a model
// struct, like tfsdk.State.Get and Set, without the Plugin Framework's
// reflection on every call.
//
// The Framework (v1.19) checks each `tfsdk` struct tag with a regular
// expression that it compiles anew for every field of every Get and Set.
// In a refresh, where each resource's Read and ModifyPlan convert their
// model four times, that was the largest cost the provider's code added to
// a plan of 200 subnets (see the refresh benchmark). This package maps a
// model type to its schema once and then converts values attribute by
// attribute with the schema's own attribute types, so the result is the
// Framework's.
//
// A model qualifies when every exported field has a `tfsdk` tag naming a
// top-level attribute or block of the schema, every attribute or block has
// a field, and each field's type is the attr.Value the schema's type
// produces (types.String for a string attribute, timeouts.Value for the
// timeouts block, ...). Anything else (and a null or unknown object) goes
// to the Framework's own Get and Set, diagnostics included.
package fwmodel

import (
	"context"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// GetState decodes state into target, a pointer to a model struct.
func GetState(ctx context.Context, state tfsdk.State, target any) diag.Diagnostics {
	if get(ctx, state.Schema, state.Raw, target) {
		return nil
	}
	return state.Get(ctx, target)
}

// GetPlan decodes plan into target, a pointer to a model struct.
func GetPlan(ctx context.Context, plan tfsdk.Plan, target any) diag.Diagnostics {
	if get(ctx, plan.Schema, plan.Raw, target) {
		return nil
	}
	return plan.Get(ctx, target)
}

// SetState writes model (a model struct or a pointer to one) into state.
func SetState(ctx context.Context, state *tfsdk.State, model any) diag.Diagnostics {
	if raw, ok := encode(ctx, state.Schema, state.Raw.Type(), model); ok {
		state.Raw = raw
		return nil
	}
	return state.Set(ctx, model)
}

// schemaLike is what this package needs of a tfsdk schema.
type schemaLike interface {
	Type() attr.Type
	TypeAtPath(context.Context, path.Path) (attr.Type, diag.Diagnostics)
}

// field is one attribute of a model.
type field struct {
	index  []int // of the struct field, through embedded structs
	name   string
	typ    attr.Type    // the schema's type of the attribute
	tfType tftypes.Type // typ.TerraformType
	goType reflect.Type // the struct field's type
}

// mapping is how one model type maps to a schema.
type mapping struct {
	objType tftypes.Type // the schema's object type; nil when unknown
	fields  []field
	ok      bool // the model qualifies
}

// mappings caches a mapping per model type.
var mappings sync.Map // reflect.Type -> *mapping

// mappingOf returns the mapping of model type t for sch, whose object type
// is objType (nil: not known, computed from sch), building it on first use.
// A mapping built for another schema (another object type) is rebuilt.
func mappingOf(ctx context.Context, sch schemaLike, t reflect.Type, objType tftypes.Type) *mapping {
	if objType == nil {
		objType = sch.Type().TerraformType(ctx)
	}
	if m, ok := mappings.Load(t); ok {
		if mm, _ := m.(*mapping); mm != nil && mm.objType != nil && mm.objType.Equal(objType) {
			return mm
		}
	}
	m := build(ctx, sch, t)
	mappings.Store(t, m)
	return m
}

// build maps struct type t to sch; see the package documentation for when
// a model qualifies.
func build(ctx context.Context, sch schemaLike, t reflect.Type) *mapping {
	obj, isObject := sch.Type().TerraformType(ctx).(tftypes.Object)
	if !isObject || t.Kind() != reflect.Struct {
		return &mapping{}
	}
	no := &mapping{objType: obj}
	m := &mapping{objType: obj, ok: true}
	seen := map[string]bool{}
	if !collect(ctx, sch, t, nil, m, seen) {
		return no
	}
	if len(seen) != len(obj.AttributeTypes) {
		return no
	}
	for _, f := range m.fields {
		if at, ok := obj.AttributeTypes[f.name]; !ok || !f.tfType.Equal(at) {
			return no
		}
	}
	return m
}

// collect adds the fields of struct type t (at index within the model) to
// m, descending into embedded structs without a tag as the Framework does;
// it reports whether every field qualifies.
func collect(ctx context.Context, sch schemaLike, t reflect.Type, index []int, m *mapping, seen map[string]bool) bool {
	valueType := reflect.TypeFor[attr.Value]()
	for i := range t.NumField() {
		sf := t.Field(i)
		at := append(append([]int(nil), index...), i)
		name := sf.Tag.Get("tfsdk")
		if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
			if !collect(ctx, sch, sf.Type, at, m, seen) {
				return false
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" || name == "-" || seen[name] || !sf.Type.Implements(valueType) {
			return false
		}
		typ, diags := sch.TypeAtPath(ctx, path.Root(name))
		if diags.HasError() || typ == nil {
			return false
		}
		seen[name] = true
		m.fields = append(m.fields, field{index: at, name: name, typ: typ, tfType: typ.TerraformType(ctx), goType: sf.Type})
	}
	return true
}

// get decodes raw into target when the model qualifies and raw is a known,
// non-null object of the schema's type; it reports whether it did.
func get(ctx context.Context, sch schemaLike, raw tftypes.Value, target any) bool {
	ptr := reflect.ValueOf(target)
	if ptr.Kind() != reflect.Pointer || ptr.IsNil() || ptr.Elem().Kind() != reflect.Struct ||
		!raw.IsKnown() || raw.IsNull() {
		return false
	}
	if sch == nil {
		return false
	}
	m := mappingOf(ctx, sch, ptr.Elem().Type(), raw.Type())
	if !m.ok {
		return false
	}
	var vals map[string]tftypes.Value
	if err := raw.As(&vals); err != nil {
		return false
	}
	out := reflect.New(ptr.Elem().Type()).Elem()
	for _, f := range m.fields {
		v, err := f.typ.ValueFromTerraform(ctx, vals[f.name])
		if err != nil {
			return false
		}
		rv := reflect.ValueOf(v)
		if !rv.Type().AssignableTo(f.goType) {
			return false
		}
		out.FieldByIndex(f.index).Set(rv)
	}
	ptr.Elem().Set(out)
	return true
}

// encode builds the object value of model for sch, whose object type is
// current (nil: not known), when the model qualifies and every field
// converts to its attribute's type; it reports whether it did.
//
// Some zero attr.Values (a types.List{} without its element type) panic
// when converted; such a model goes to the Framework too.
func encode(ctx context.Context, sch schemaLike, current tftypes.Type, model any) (_ tftypes.Value, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	v := reflect.ValueOf(model)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return tftypes.Value{}, false
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct || sch == nil {
		return tftypes.Value{}, false
	}
	m := mappingOf(ctx, sch, v.Type(), current)
	if !m.ok {
		return tftypes.Value{}, false
	}
	vals := make(map[string]tftypes.Value, len(m.fields))
	for _, f := range m.fields {
		av, ok := v.FieldByIndex(f.index).Interface().(attr.Value)
		if !ok {
			return tftypes.Value{}, false
		}
		tv, err := av.ToTerraformValue(ctx)
		if err != nil || !tv.Type().Equal(f.tfType) {
			return tftypes.Value{}, false
		}
		vals[f.name] = tv
	}
	if tftypes.ValidateValue(m.objType, vals) != nil {
		return tftypes.Value{}, false
	}
	return tftypes.NewValue(m.objType, vals), true
}
