package legacy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Content types of legacy API responses.
const (
	ContentTypeJSON = "application/json;charset=UTF-8"
	ContentTypeXML  = "application/xml;charset=UTF-8"
)

// ContentTypeForm is the only body encoding the legacy API reads.
const ContentTypeForm = "application/x-www-form-urlencoded"

// MaxBodyBytes bounds the form body of one call. Legacy calls carry a few
// short parameters; a larger body is refused rather than buffered.
const MaxBodyBytes = 1 << 20

// ErrBodyTooLarge is wrapped by the error ParseParams returns for a body
// larger than MaxBodyBytes.
var ErrBodyTooLarge = fmt.Errorf("request body is larger than %d bytes", MaxBodyBytes)

// ParseParams reads the parameters of one legacy API call (ncp-api.md §5.1).
//
// Parameters come from the query string and, for POST, from an
// application/x-www-form-urlencoded body; NCP merges both. Every parameter of
// the legacy API is single-valued (lists are numbered, see List), so the
// merge is strict: a name given more than once, in one place or across both,
// is accepted only when every occurrence carries the same value. Conflicting
// values are an error instead of a silent "first wins" or "body wins",
// because the query string is signed and the body is not, and a client that
// sends two different values has a bug worth reporting.
//
// A POST body in any other content type is an error, and so is a body larger
// than MaxBodyBytes. The body of a GET request is ignored, as a servlet
// container would.
func ParseParams(r *http.Request) (url.Values, error) {
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("malformed query string: %v", err)
	}
	var body url.Values
	if r.Method == http.MethodPost && r.Body != nil {
		raw, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
		if err != nil {
			return nil, fmt.Errorf("reading request body: %v", err)
		}
		if len(raw) > MaxBodyBytes {
			return nil, ErrBodyTooLarge
		}
		if len(bytes.TrimSpace(raw)) > 0 {
			ct := r.Header.Get("Content-Type")
			mt, _, err := mime.ParseMediaType(ct)
			if err != nil || mt != ContentTypeForm {
				return nil, fmt.Errorf("unsupported Content-Type %q: a request body must be %s", ct, ContentTypeForm)
			}
			body, err = url.ParseQuery(string(raw))
			if err != nil {
				return nil, fmt.Errorf("malformed form body: %v", err)
			}
		}
	}
	merged := url.Values{}
	for _, src := range []url.Values{query, body} {
		for name, values := range src {
			for _, v := range values {
				if prev, ok := merged[name]; ok {
					if prev[0] != v {
						return nil, fmt.Errorf("parameter %s was given more than once with different values (%q and %q)", name, prev[0], v)
					}
					continue
				}
				merged[name] = []string{v}
			}
		}
	}
	return merged, nil
}

// List returns the items of the numbered list parameter name, sent as
// name.1, name.2, ... (ncp-api.md §5.1), in index order. It returns nil when
// the list is absent.
//
// It is strict about the encoding: indexes must be decimal numbers from 1
// without gaps or leading zeros, items must not be empty, and the bare name
// (name=x, which the API does not define) is an error rather than being
// ignored, so that a wrongly encoded filter never silently matches
// everything. List handles flat lists only; a nested key such as
// name.1.field is reported as malformed.
func List(v url.Values, name string) ([]string, error) {
	if _, ok := v[name]; ok {
		return nil, fmt.Errorf("%s must be sent as %s.1, %s.2 and so on", name, name, name)
	}
	prefix := name + "."
	items := map[int]string{}
	for key, values := range v {
		if !strings.HasPrefix(key, prefix) {
			continue
		}
		suffix := key[len(prefix):]
		n, err := strconv.Atoi(suffix)
		if err != nil || n < 1 || strconv.Itoa(n) != suffix {
			return nil, fmt.Errorf("%s is not a valid list parameter: expected %s.N with N counting from 1", key, name)
		}
		if len(values) == 0 || values[0] == "" {
			return nil, fmt.Errorf("%s must not be empty", key)
		}
		items[n] = values[0]
	}
	if len(items) == 0 {
		return nil, nil
	}
	out := make([]string, 0, len(items))
	for i := 1; i <= len(items); i++ {
		item, ok := items[i]
		if !ok {
			return nil, fmt.Errorf("%s.%d is missing: list items must be numbered from 1 without gaps", name, i)
		}
		out = append(out, item)
	}
	return out, nil
}

// AddList sets items as the numbered list parameter name.1, name.2, ...
// (the encoding List reads and the official SDK sends).
func AddList(v url.Values, name string, items []string) {
	for i, item := range items {
		v.Set(name+"."+strconv.Itoa(i+1), item)
	}
}

// SniffResponseFormat is a best-effort guess at the response format of a
// call whose parameters could not be parsed (a bad escape, a body too large
// or of the wrong content type), so that its error is still answered in the
// format the client reads: FormatJSON when the query string or the raw body
// text holds a responseFormatType=json pair, FormatXML otherwise. Each
// &-separated pair is unescaped on its own, so one malformed pair does not
// hide the others. The official Go SDK sends responseFormatType=json in the
// form body, not in the query (ncp-api.md §5.1).
func SniffResponseFormat(rawQuery string, body []byte) string {
	for _, src := range []string{rawQuery, string(body)} {
		for _, pair := range strings.Split(src, "&") {
			k, v, _ := strings.Cut(pair, "=")
			if strings.TrimSpace(unescapeLoose(k)) == ParamResponseFormatType && strings.TrimSpace(unescapeLoose(v)) == FormatJSON {
				return FormatJSON
			}
		}
	}
	return FormatXML
}

// unescapeLoose decodes a form-encoded component, or returns it unchanged
// when it is malformed.
func unescapeLoose(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// ResponseFormat returns the response format a call asked for with
// responseFormatType: FormatXML when absent (NCP's default), FormatJSON or
// FormatXML when given. Any other value, including a different case, is an
// error.
func ResponseFormat(v url.Values) (string, error) {
	switch f := v.Get(ParamResponseFormatType); f {
	case "":
		return FormatXML, nil
	case FormatJSON, FormatXML:
		return f, nil
	default:
		return "", fmt.Errorf("%s must be %q or %q, not %q", ParamResponseFormatType, FormatJSON, FormatXML, f)
	}
}

// Encode renders v as the success response of action in format (FormatJSON
// or FormatXML) and returns the body with its content type.
func Encode(format, action string, v any) ([]byte, string, error) {
	switch format {
	case FormatJSON:
		b, err := EncodeJSON(action, v)
		return b, ContentTypeJSON, err
	case FormatXML:
		b, err := EncodeXML(action, v)
		return b, ContentTypeXML, err
	default:
		return nil, "", fmt.Errorf("legacy: unknown response format %q", format)
	}
}

// EncodeError renders a responseError body in format (XML for anything but
// FormatJSON) and returns it with its content type.
func EncodeError(format, code, message string) ([]byte, string) {
	if format == FormatJSON {
		return EncodeErrorJSON(code, message), ContentTypeJSON
	}
	return EncodeErrorXML(code, message), ContentTypeXML
}

// UnwrapLikeSDK decodes a JSON response body into out exactly the way the
// official Go SDK (ncloud-sdk-go-v2, services/vpc/v2_api.go) does:
//
//	json.Unmarshal(body[bytes.IndexAny(bytes.Trim(body, "{"), "{"):len(body)-1], &out)
//
// It exists so that tests can prove a body is readable by that SDK
// (ncp-api.md §5.1): a compact {"x":{ wrapper or a trailing newline fails
// here just as it fails there. Where the SDK expression would panic (no inner
// object), UnwrapLikeSDK returns an error instead.
func UnwrapLikeSDK(body []byte, out any) error {
	idx := bytes.IndexAny(bytes.Trim(body, "{"), "{")
	if idx < 0 || len(body) == 0 || idx > len(body)-1 {
		return errors.New("legacy: body has no inner object (the SDK expression would panic)")
	}
	return json.Unmarshal(body[idx:len(body)-1], out)
}
