package legacyapi

import (
	"cmp"
	"slices"
	"strconv"
)

// Objects of the legacy services are addressed by object numbers
// (vpcNo, subnetNo, accessControlGroupNo, ...): decimal digits without a
// sign or leading zero.

// IsNumber reports whether s is an object number.
func IsNumber(s string) bool {
	n, err := strconv.ParseUint(s, 10, 64)
	return err == nil && n > 0 && strconv.FormatUint(n, 10) == s
}

// CheckNumber checks that v, the value of parameter name, is an object
// number.
func CheckNumber(name, v string) *Error {
	if !IsNumber(v) {
		return Invalid("%s must be an object number (decimal digits), not %q", name, v)
	}
	return nil
}

// RequiredNumber returns parameter name, which must be present and an
// object number.
func (c *Call) RequiredNumber(name string) (string, *Error) {
	v, e := c.Required(name)
	if e != nil {
		return "", e
	}
	return v, CheckNumber(name, v)
}

// OptionalNumber returns parameter name, which must be an object number
// when present; "" when absent.
func (c *Call) OptionalNumber(name string) (string, *Error) {
	v := c.Get(name)
	if v == "" {
		return "", nil
	}
	return v, CheckNumber(name, v)
}

// NumberList returns the items of the numbered list parameter name, each of
// which must be an object number; nil when absent.
func (c *Call) NumberList(name string) ([]string, *Error) {
	items, e := c.List(name)
	if e != nil {
		return nil, e
	}
	for i, v := range items {
		if !IsNumber(v) {
			return nil, Invalid("%s.%d must be an object number (decimal digits), not %q", name, i+1, v)
		}
	}
	return items, nil
}

// Matches reports whether value passes the exact-match filter filter of a
// list call; an absent (empty) filter passes every value.
func Matches(filter, value string) bool { return filter == "" || filter == value }

// Listed reports whether object number no passes the number-list filter
// nos of a list call; an absent (nil) list passes every number.
func Listed(nos []string, no string) bool { return nos == nil || slices.Contains(nos, no) }

// SortedByNo returns the values of m ordered by their numeric key. Lists are
// returned in creation order [?]: NCP does not document the default order.
func SortedByNo[T any](m map[string]*T) []*T {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareNo)
	out := make([]*T, 0, len(keys))
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}

// compareNo orders object numbers numerically.
func compareNo(a, b string) int {
	na, errA := strconv.ParseUint(a, 10, 64)
	nb, errB := strconv.ParseUint(b, 10, 64)
	if errA != nil || errB != nil {
		return cmp.Compare(a, b)
	}
	return cmp.Compare(na, nb)
}
