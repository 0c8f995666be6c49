package globaledge

import "encoding/json"

// RawJSON is a JSON value kept as it was sent; nil or empty is sent as
// null.
type RawJSON []byte

// MarshalJSON implements json.Marshaler.
func (r RawJSON) MarshalJSON() ([]byte, error) {
	if len(r) == 0 {
		return []byte("null"), nil
	}
	if !json.Valid(r) {
		return nil, &json.UnsupportedValueError{Str: string(r)}
	}
	return r, nil
}

// UnmarshalJSON implements json.Unmarshaler; null leaves r nil.
func (r *RawJSON) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*r = nil
		return nil
	}
	*r = append((*r)[:0], b...)
	return nil
}

// IsNull reports whether r is absent or null.
func (r RawJSON) IsNull() bool { return len(r) == 0 || string(r) == "null" }
