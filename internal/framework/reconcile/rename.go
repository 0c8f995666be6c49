package reconcile

import (
	"context"
	"fmt"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Renamer is a resource that generates a name when the user sets none
// (GenerateName) and gives a replacement a fresh one (RenameOnReplace).
// GeneratedName returns the name attribute and the list of every other
// attribute whose change replaces the object: the list RenameOnReplace is
// called with, which CheckRenamer compares with the schema.
type Renamer interface {
	resource.Resource
	GeneratedName() (nameAttr string, replaceAttrs []string)
}

// RenameOnReplace is the ModifyPlan of a Renamer. The generated name keeps
// its state value while the object stays (UseStateForUnknown), but when the
// object is replaced (one of replaceAttrs changes, or is not known yet) and
// nameAttr is not configured, the old generated name is dropped: the
// replacement then gets a fresh one and never collides with the object it
// replaces (for example under create_before_destroy).
func RenameOnReplace(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, nameAttr string, replaceAttrs []string) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var name types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(nameAttr), &name)...)
	if resp.Diagnostics.HasError() || !name.IsNull() {
		return
	}
	for _, a := range replaceAttrs {
		planned, err := rawAttribute(req.Plan.Raw, a)
		if err != nil {
			resp.Diagnostics.AddError("Cannot plan the generated name", err.Error())
			return
		}
		current, err := rawAttribute(req.State.Raw, a)
		if err != nil {
			resp.Diagnostics.AddError("Cannot plan the generated name", err.Error())
			return
		}
		if !planned.IsFullyKnown() || !planned.Equal(current) {
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(nameAttr), types.StringUnknown())...)
			return
		}
	}
}

// rawAttribute returns the top-level attribute name of an object value.
func rawAttribute(obj tftypes.Value, name string) (tftypes.Value, error) {
	v, _, err := tftypes.WalkAttributePath(obj, tftypes.NewAttributePath().WithAttributeName(name))
	if err != nil {
		return tftypes.Value{}, fmt.Errorf("attribute %s: %w", name, err)
	}
	tv, ok := v.(tftypes.Value)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("attribute %s is a %T, not a value", name, v)
	}
	return tv, nil
}

// ReplaceAttributes returns, sorted, the top-level attributes of s whose
// plan modifiers require a replacement when the value changes
// (RequiresReplace, or a RequiresReplaceIf that does so for a change from
// "a" to "b" or false to true): it runs each attribute's modifiers on such
// a change and looks at the answer, so it sees what the modifiers do, not
// how they are named. String, bool and int64 attributes are supported;
// any other attribute with plan modifiers is an error.
func ReplaceAttributes(ctx context.Context, s schema.Schema) ([]string, error) {
	typ, ok := s.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		return nil, fmt.Errorf("the schema's type is %s, not an object", s.Type())
	}
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for n, at := range typ.AttributeTypes {
		vals[n] = tftypes.NewValue(at, nil)
	}
	// A known object of null attributes: neither a create nor a destroy.
	raw := tftypes.NewValue(typ, vals)
	state := tfsdk.State{Schema: s, Raw: raw}
	plan := tfsdk.Plan{Schema: s, Raw: raw}
	config := tfsdk.Config{Schema: s, Raw: raw}

	var out []string
	for name, a := range s.Attributes {
		p := path.Root(name)
		var replace bool
		switch a := a.(type) {
		case schema.StringAttribute:
			for _, m := range a.PlanModifiers {
				req := planmodifier.StringRequest{Path: p, State: state, Plan: plan, Config: config,
					StateValue: types.StringValue("a"), PlanValue: types.StringValue("b"), ConfigValue: types.StringValue("b")}
				resp := &planmodifier.StringResponse{PlanValue: req.PlanValue}
				m.PlanModifyString(ctx, req, resp)
				replace = replace || resp.RequiresReplace
			}
		case schema.BoolAttribute:
			for _, m := range a.PlanModifiers {
				req := planmodifier.BoolRequest{Path: p, State: state, Plan: plan, Config: config,
					StateValue: types.BoolValue(false), PlanValue: types.BoolValue(true), ConfigValue: types.BoolValue(true)}
				resp := &planmodifier.BoolResponse{PlanValue: req.PlanValue}
				m.PlanModifyBool(ctx, req, resp)
				replace = replace || resp.RequiresReplace
			}
		case schema.Int64Attribute:
			for _, m := range a.PlanModifiers {
				req := planmodifier.Int64Request{Path: p, State: state, Plan: plan, Config: config,
					StateValue: types.Int64Value(1), PlanValue: types.Int64Value(2), ConfigValue: types.Int64Value(2)}
				resp := &planmodifier.Int64Response{PlanValue: req.PlanValue}
				m.PlanModifyInt64(ctx, req, resp)
				replace = replace || resp.RequiresReplace
			}
		case schema.SingleNestedAttribute:
			// A known object of null attributes becoming one of unknown
			// attributes: a change of the object.
			objType, ok := a.GetType().(types.ObjectType)
			if !ok {
				return nil, fmt.Errorf("attribute %s: a single nested attribute of type %s", name, a.GetType())
			}
			attrTypes := objType.AttrTypes
			nulls, unknowns := map[string]attr.Value{}, map[string]attr.Value{}
			for n, t := range attrTypes {
				nulls[n] = nullOf(ctx, t)
				unknowns[n] = unknownOf(ctx, t)
			}
			for _, m := range a.PlanModifiers {
				before := types.ObjectValueMust(attrTypes, nulls)
				after := types.ObjectValueMust(attrTypes, unknowns)
				req := planmodifier.ObjectRequest{Path: p, State: state, Plan: plan, Config: config,
					StateValue: before, PlanValue: after, ConfigValue: after}
				resp := &planmodifier.ObjectResponse{PlanValue: req.PlanValue}
				m.PlanModifyObject(ctx, req, resp)
				replace = replace || resp.RequiresReplace
			}
		default:
			if hasPlanModifiers(a) {
				return nil, fmt.Errorf("attribute %s: ReplaceAttributes cannot check the plan modifiers of a %T", name, a)
			}
		}
		if replace {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out, nil
}

// hasPlanModifiers reports whether an attribute of a type ReplaceAttributes
// does not run declares plan modifiers.
func hasPlanModifiers(a schema.Attribute) bool {
	switch a := a.(type) {
	case schema.Float64Attribute:
		return len(a.PlanModifiers) > 0
	case schema.NumberAttribute:
		return len(a.PlanModifiers) > 0
	case schema.ListAttribute:
		return len(a.PlanModifiers) > 0
	case schema.SetAttribute:
		return len(a.PlanModifiers) > 0
	case schema.MapAttribute:
		return len(a.PlanModifiers) > 0
	case schema.ObjectAttribute:
		return len(a.PlanModifiers) > 0
	case schema.Int32Attribute:
		return len(a.PlanModifiers) > 0
	case schema.Float32Attribute:
		return len(a.PlanModifiers) > 0
	}
	// Nested and dynamic attributes: assume the worst.
	return true
}

// CheckRenamer checks that r's list of replace-forcing attributes (its
// GeneratedName) is exactly what its schema's plan modifiers say, besides
// the name attribute itself: an immutable attribute added to the schema but
// not to the list would keep the old generated name on a replacement and
// collide with it.
func CheckRenamer(ctx context.Context, r Renamer) error {
	var resp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		return fmt.Errorf("schema: %v", resp.Diagnostics)
	}
	nameAttr, listed := r.GeneratedName()
	if _, ok := resp.Schema.Attributes[nameAttr]; !ok {
		return fmt.Errorf("the name attribute %q is not in the schema", nameAttr)
	}
	fromSchema, err := ReplaceAttributes(ctx, resp.Schema)
	if err != nil {
		return err
	}
	fromSchema = slices.DeleteFunc(fromSchema, func(a string) bool { return a == nameAttr })
	listed = slices.Sorted(slices.Values(listed))
	if !slices.Equal(listed, fromSchema) {
		return fmt.Errorf("GeneratedName lists the replace-forcing attributes %q, but the schema's plan modifiers replace on %q (besides %s)",
			listed, fromSchema, nameAttr)
	}
	return nil
}

// nullOf and unknownOf return the null and unknown values of type t.
func nullOf(ctx context.Context, t attr.Type) attr.Value {
	v, _ := t.ValueFromTerraform(ctx, tftypes.NewValue(t.TerraformType(ctx), nil))
	return v
}

func unknownOf(ctx context.Context, t attr.Type) attr.Value {
	v, _ := t.ValueFromTerraform(ctx, tftypes.NewValue(t.TerraformType(ctx), tftypes.UnknownValue))
	return v
}
