package rest

import (
	"fmt"
	"testing"
)

// FuzzDecode feeds request bodies to the strict decoder: any input decodes
// or gives an Invalid error, never a panic.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		``, ` `, `{}`, `[]`, `null`, `{"name":"x","protocolList":["HLS"],"segmentDuration":5}`,
		`{"name":1}`, `{"protocolList":[1]}`, `{"x":1}`, `{"name":"x"} {}`, `{"name":`, `{"output":{"bucketName":true}}`,
	} {
		f.Add(seed)
	}
	type output struct {
		BucketName string `json:"bucketName"`
	}
	type body struct {
		Name            string   `json:"name"`
		ProtocolList    []string `json:"protocolList"`
		SegmentDuration int      `json:"segmentDuration"`
		Output          *output  `json:"output"`
	}
	invalid := func(format string, args ...any) *Error {
		return &Error{Status: 400, Code: "bad", Message: fmt.Sprintf(format, args...)}
	}
	f.Fuzz(func(t *testing.T, data string) {
		var v body
		err := decodeJSON([]byte(data), &v, invalid)
		if err == nil {
			return
		}
		e, ok := err.(*Error)
		if !ok || e.Code != "bad" || e.Message == "" {
			t.Fatalf("%q: %v", data, err)
		}
	})
}
