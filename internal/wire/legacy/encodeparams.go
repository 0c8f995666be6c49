package legacy

import "net/url"

// EncodeParams returns the application/x-www-form-urlencoded body of one
// legacy API call as a client sends it (ncp-api.md §5.1): the parameters in
// params, plus responseFormatType=json and, when regionCode is not empty,
// regionCode (which then replaces a regionCode in params).
//
// Build params with url.Values.Set for single values and AddList for
// numbered lists (name.1, name.2, ...); format numbers and booleans with
// strconv. A parameter whose values are all empty is left out, the way the
// official SDK leaves out unset optional fields, so callers can set optional
// filters unconditionally. params is not modified. Names are encoded in
// sorted order, so the body is deterministic.
func EncodeParams(regionCode string, params url.Values) []byte {
	v := make(url.Values, len(params)+2)
	for name, values := range params {
		for _, value := range values {
			if value != "" {
				v[name] = append(v[name], value)
			}
		}
	}
	v.Set(ParamResponseFormatType, FormatJSON)
	if regionCode != "" {
		v.Set(ParamRegionCode, regionCode)
	}
	return []byte(v.Encode())
}
