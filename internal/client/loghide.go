package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// hiddenFields returns the Request.LogHiddenFields of the call of ctx.
func hiddenFields(ctx context.Context) []string {
	op, _ := ctx.Value(operationKey{}).(operation)
	return op.hidden
}

// hideJSONFields returns a JSON body for the log with the value of every
// object member named in fields replaced, at any depth: an object keeps
// its keys with each value "***", an array keeps its length with each
// element "***", anything else becomes "***" (null stays null). A body
// that cannot be read as JSON (cut at maxLoggedBody, or not JSON at all)
// is not shown, since it may hold such values. Without fields the body is
// returned as it is.
func hideJSONFields(body []byte, fields []string) []byte {
	if len(fields) == 0 || len(bytes.TrimSpace(body)) == 0 {
		return body
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return fmt.Appendf(nil, "(%d bytes not shown: not readable as JSON, they may hold values of %s)", len(body), strings.Join(fields, ", "))
	}
	out, err := json.Marshal(hideIn(v, fields))
	if err != nil {
		return fmt.Appendf(nil, "(%d bytes not shown)", len(body))
	}
	return out
}

// hideIn replaces, in v, the values of the members named in fields.
func hideIn(v any, fields []string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if slices.Contains(fields, k) {
				x[k] = masked(e)
			} else {
				x[k] = hideIn(e, fields)
			}
		}
	case []any:
		for i, e := range x {
			x[i] = hideIn(e, fields)
		}
	}
	return v
}

// masked is a hidden value: its shape (keys, length) stays, its content
// goes.
func masked(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k := range x {
			out[k] = "***"
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = "***"
		}
		return out
	}
	return "***"
}
