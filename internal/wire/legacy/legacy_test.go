package legacy

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"strings"
	"testing"
)

// sdkUnwrap replays the official Go SDK's unwrapping expression verbatim
// (ncloud-sdk-go-v2, services/vpc/v2_api.go). A slice-bounds panic, which the
// SDK would suffer on a body without an inner object, is returned as an error.
func sdkUnwrap(body []byte, out any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("SDK expression panicked: %v", r)
		}
	}()
	return json.Unmarshal(body[bytes.IndexAny(bytes.Trim(body, "{"), "{"):len(body)-1], &out)
}

type sample struct {
	RequestID  string `json:"requestId" xml:"requestId"`
	ReturnCode string `json:"returnCode" xml:"returnCode"`
	TotalRows  int    `json:"totalRows" xml:"totalRows"`
	Items      []item `json:"itemList" xml:"itemList>item"`
}

type item struct {
	No   string `json:"no" xml:"no"`
	Name string `json:"name" xml:"name"`
}

func sampleValue() sample {
	return sample{
		RequestID:  "21a29c59-3139-4c23-9f92-10c1fddafef6",
		ReturnCode: "0",
		TotalRows:  2,
		Items:      []item{{No: "1", Name: "a{b}"}, {No: "2", Name: "운영중"}},
	}
}

func TestEncodeJSONLayout(t *testing.T) {
	t.Parallel()
	body, err := EncodeJSON("createVpc", sampleValue())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(body, []byte(`{"createVpcResponse": {`)) {
		t.Errorf("body starts %q, want the wrapper with one space before the inner object", body[:min(len(body), 30)])
	}
	if !bytes.HasSuffix(body, []byte("}}")) || bytes.HasSuffix(body, []byte("\n")) {
		t.Errorf("body must end with the inner and outer '}' and no newline: %q", body)
	}
}

// TestSDKExpressionAcceptsEncodeJSON proves that what EncodeJSON writes is
// readable by the official SDK, and that UnwrapLikeSDK agrees with the
// verbatim expression.
func TestSDKExpressionAcceptsEncodeJSON(t *testing.T) {
	t.Parallel()
	want := sampleValue()
	body, err := EncodeJSON("getVpcList", want)
	if err != nil {
		t.Fatal(err)
	}
	var viaSDK, viaHelper sample
	if err := sdkUnwrap(body, &viaSDK); err != nil {
		t.Fatalf("SDK expression rejected EncodeJSON output %q: %v", body, err)
	}
	if err := UnwrapLikeSDK(body, &viaHelper); err != nil {
		t.Fatalf("UnwrapLikeSDK rejected EncodeJSON output: %v", err)
	}
	for _, got := range []sample{viaSDK, viaHelper} {
		if got.RequestID != want.RequestID || got.TotalRows != 2 || len(got.Items) != 2 || got.Items[0].Name != "a{b}" || got.Items[1].Name != "운영중" {
			t.Errorf("decoded %+v, want %+v", got, want)
		}
	}
}

func TestSDKExpressionAcceptsErrorBody(t *testing.T) {
	t.Parallel()
	var got ResponseError
	if err := sdkUnwrap(EncodeErrorJSON("1000036", "vpcNo is required"), &got); err != nil {
		t.Fatalf("SDK expression rejected EncodeErrorJSON output: %v", err)
	}
	if got.ReturnCode != "1000036" || got.ReturnMessage != "vpcNo is required" {
		t.Errorf("decoded %+v", got)
	}
}

// TestSDKExpressionQuirks pins the layout rules of ncp-api.md §5.1: the rules
// are properties of the SDK expression, so the verbatim expression and
// UnwrapLikeSDK must both accept and reject the same bodies.
func TestSDKExpressionQuirks(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		body    string
		wantErr string // empty: must decode
	}{
		{"spaced wrapper", `{"x": {"returnCode":"0"}}`, ""},
		{"pretty printed without final newline", "{\n  \"xResponse\" : {\n    \"returnCode\" : \"0\"\n  }\n}", ""},
		{"compact wrapper", `{"x":{"returnCode":"0"}}`, "invalid character ':'"},
		{"trailing newline", "{\"x\": {\"returnCode\":\"0\"}}\n", "after top-level value"},
		{"no inner object", `{}`, "panic"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for fn, unwrap := range map[string]func([]byte, any) error{"verbatim": sdkUnwrap, "UnwrapLikeSDK": UnwrapLikeSDK} {
				var out struct {
					ReturnCode string `json:"returnCode"`
				}
				err := unwrap([]byte(tc.body), &out)
				switch {
				case tc.wantErr == "" && err != nil:
					t.Errorf("%s: unexpected error %v", fn, err)
				case tc.wantErr == "" && out.ReturnCode != "0":
					t.Errorf("%s: returnCode = %q, want 0", fn, out.ReturnCode)
				case tc.wantErr != "" && err == nil:
					t.Errorf("%s: accepted %q, want an error", fn, tc.body)
				case tc.wantErr != "" && fn == "verbatim" && !strings.Contains(err.Error(), tc.wantErr):
					t.Errorf("%s: error %q does not mention %q", fn, err, tc.wantErr)
				}
			}
		})
	}
}

func TestEncodeXMLRenamesRoot(t *testing.T) {
	t.Parallel()
	body, err := EncodeXML("createVpc", sampleValue())
	if err != nil {
		t.Fatal(err)
	}
	s := string(body)
	if !strings.HasPrefix(s, xml.Header+"<createVpcResponse><requestId>") || !strings.HasSuffix(s, "</createVpcResponse>") {
		t.Errorf("unexpected XML layout: %s", s)
	}
	var got sample
	if err := xml.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.TotalRows != 2 || len(got.Items) != 2 || got.Items[1].Name != "운영중" {
		t.Errorf("round trip gave %+v", got)
	}
}

func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	body, err := EncodeJSON("getVpcList", sampleValue())
	if err != nil {
		t.Fatal(err)
	}
	var got sample
	if err := DecodeJSON(body, "getVpcList", &got); err != nil {
		t.Fatal(err)
	}
	if got.RequestID != sampleValue().RequestID {
		t.Errorf("requestId = %q", got.RequestID)
	}
	if err := DecodeJSON(body, "createVpc", &got); err == nil || !strings.Contains(err.Error(), "createVpc") {
		t.Errorf("decoding as the wrong action: err = %v, want an error naming createVpc", err)
	}
}

// TestDecodeErrorFixture decodes the error body quoted in the official
// provider's convert_types_test.go (ncp-api.md §0.3).
func TestDecodeErrorFixture(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/responseError.json")
	if err != nil {
		t.Fatal(err)
	}
	re, ok := DecodeError(body)
	if !ok {
		t.Fatalf("DecodeError rejected %q", body)
	}
	if re.ReturnCode != "1007009" || !strings.HasPrefix(re.ReturnMessage, "If the Acg settings are being changed") {
		t.Errorf("decoded %+v", re)
	}
}

func TestEncodeErrorRoundTrip(t *testing.T) {
	t.Parallel()
	for _, format := range []string{FormatJSON, FormatXML} {
		body, ct := EncodeError(format, "1000104", `vpc "1" is not RUN <&>`)
		if (format == FormatJSON) != (ct == ContentTypeJSON) {
			t.Errorf("%s: content type %q", format, ct)
		}
		re, ok := DecodeError(body)
		if !ok || re.ReturnCode != "1000104" || re.ReturnMessage != `vpc "1" is not RUN <&>` {
			t.Errorf("%s: round trip gave %+v, %v from %q", format, re, ok, body)
		}
	}
	if _, ok := DecodeError([]byte("  ")); ok {
		t.Error("DecodeError accepted an empty body")
	}
	if _, ok := DecodeError([]byte(`{"error":{"errorCode":"200"}}`)); ok {
		t.Error("DecodeError accepted a gateway error envelope")
	}
}
