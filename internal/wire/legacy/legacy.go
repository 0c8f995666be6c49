// Package legacy holds the envelope shared by NCP's legacy "Ncloud API"
// services (VPC at /vpc/v2, VServer at /vserver/v2; ncp-api.md §5.1): the
// {"<action>Response": {...}} success wrapper, its XML twin, and the
// {"responseError": {...}} error body.
package legacy

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
)

// FormatJSON and FormatXML are the values of the responseFormatType parameter.
// XML is the default when the parameter is absent.
const (
	FormatJSON = "json"
	FormatXML  = "xml"
)

// ParamResponseFormatType and ParamRegionCode are parameters every action takes.
const (
	ParamResponseFormatType = "responseFormatType"
	ParamRegionCode         = "regionCode"
)

// ResponseError is the body of a failed call:
// {"responseError": {"returnCode":"…","returnMessage":"…"}}.
type ResponseError struct {
	XMLName       xml.Name `json:"-" xml:"responseError"`
	ReturnCode    string   `json:"returnCode" xml:"returnCode"`
	ReturnMessage string   `json:"returnMessage" xml:"returnMessage"`
}

type errorEnvelope struct {
	ResponseError ResponseError `json:"responseError"`
}

// EncodeJSON wraps v as {"<action>Response": v}. The layout is exactly what
// the official Go SDK can parse (ncp-api.md §5.1): a space between the colon
// and the inner object, and the body ends with a single '}' and no newline.
func EncodeJSON(action string, v any) ([]byte, error) {
	inner, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"`)
	b.WriteString(action)
	b.WriteString(`Response": `)
	b.Write(inner)
	b.WriteString(`}`)
	return b.Bytes(), nil
}

// EncodeXML renders v as <?xml …?><<action>Response>…</<action>Response>.
func EncodeXML(action string, v any) ([]byte, error) {
	inner, err := xml.Marshal(v)
	if err != nil {
		return nil, err
	}
	// xml.Marshal names the root after the Go type; rename it to the action.
	start := bytes.IndexByte(inner, '>')
	end := bytes.LastIndex(inner, []byte("</"))
	if start < 0 || end < 0 || end < start {
		return nil, fmt.Errorf("legacy: cannot encode %T as XML", v)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString("<" + action + "Response>")
	b.Write(inner[start+1 : end])
	b.WriteString("</" + action + "Response>")
	return b.Bytes(), nil
}

// DecodeJSON unwraps {"<action>Response": {...}} into out. It is strict about
// the wrapper's name so that a response to the wrong action is an error.
func DecodeJSON(body []byte, action string, out any) error {
	var outer map[string]json.RawMessage
	if err := json.Unmarshal(body, &outer); err != nil {
		return fmt.Errorf("decoding %s response: %w", action, err)
	}
	inner, ok := outer[action+"Response"]
	if !ok {
		return fmt.Errorf("decoding %s response: no \"%sResponse\" object in body", action, action)
	}
	if err := json.Unmarshal(inner, out); err != nil {
		return fmt.Errorf("decoding %s response: %w", action, err)
	}
	return nil
}

// EncodeErrorJSON renders {"responseError": {...}} with the same layout rules
// as EncodeJSON.
func EncodeErrorJSON(code, message string) []byte {
	inner, _ := json.Marshal(ResponseError{ReturnCode: code, ReturnMessage: message})
	return append(append([]byte(`{"responseError": `), inner...), '}')
}

// EncodeErrorXML renders <responseError>…</responseError>.
func EncodeErrorXML(code, message string) []byte {
	inner, _ := xml.Marshal(ResponseError{ReturnCode: code, ReturnMessage: message})
	return append([]byte(xml.Header), inner...)
}

// DecodeError reads a responseError body in JSON or XML form.
func DecodeError(body []byte) (ResponseError, bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return ResponseError{}, false
	}
	if trimmed[0] == '{' {
		var env errorEnvelope
		if err := json.Unmarshal(trimmed, &env); err != nil || env.ResponseError.ReturnCode == "" {
			return ResponseError{}, false
		}
		return env.ResponseError, true
	}
	var re ResponseError
	if err := xml.Unmarshal(trimmed, &re); err != nil || re.ReturnCode == "" {
		return ResponseError{}, false
	}
	return re, true
}
