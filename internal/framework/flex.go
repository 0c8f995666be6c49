package framework

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// StringValueOrNull returns s as a known string, or null when s is empty.
// Use it for optional attributes that NCP answers with "" when unset.
func StringValueOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// StringOr returns the value of v, or fallback when v is null, unknown or
// empty.
func StringOr(v types.String, fallback string) string {
	if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
		return fallback
	}
	return v.ValueString()
}

// StringList returns values as a known list of strings. An empty or nil
// slice gives an empty list, never null, so that a computed list does not
// flip between null and empty.
func StringList(values []string) types.List {
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}
