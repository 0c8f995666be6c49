package client

import (
	"cmp"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
)

// redactor hides secrets in what the client shows: error messages (which
// become the provider's diagnostics) and logs. It is the one place that
// knows what is secret: the secret key, the access key, and the values a
// caller marks sensitive on a request (Request.Sensitive), each in the
// forms it can take on the wire (as is, JSON-escaped, form-encoded).
//
// In errors the access key becomes its masked form (MaskAccessKey) and
// every other secret "***". Logs get the same values through tflog's
// masking (see logTransport.context and Client.logContext), which writes
// "***" for each.
type redactor struct {
	accessKey string
	secrets   []string // every form of every other secret, longest first
	replacer  *strings.Replacer
}

// newRedactor returns the redactor of a client with these keys.
func newRedactor(accessKey, secretKey string) *redactor {
	return (&redactor{accessKey: accessKey}).with([]string{secretKey})
}

// with returns a redactor that also hides sensitive (x itself is not
// changed). Empty values are ignored.
func (x *redactor) with(sensitive []string) *redactor {
	secrets := slices.Clone(x.secrets)
	for _, v := range sensitive {
		for _, form := range wireForms(v) {
			if form != "" && !slices.Contains(secrets, form) {
				secrets = append(secrets, form)
			}
		}
	}
	if x.replacer != nil && len(secrets) == len(x.secrets) {
		return x
	}
	// Longest first, so that a secret containing another is hidden whole.
	slices.SortStableFunc(secrets, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	var pairs []string
	for _, s := range secrets {
		pairs = append(pairs, s, "***")
	}
	for _, form := range wireForms(x.accessKey) {
		if form != "" {
			pairs = append(pairs, form, MaskAccessKey(x.accessKey))
		}
	}
	return &redactor{accessKey: x.accessKey, secrets: secrets, replacer: strings.NewReplacer(pairs...)}
}

// wireForms returns v as it may appear in a body or message: as is,
// escaped inside a JSON string, and form- or query-encoded.
func wireForms(v string) []string {
	if v == "" {
		return nil
	}
	forms := []string{v}
	if b, err := json.Marshal(v); err == nil {
		forms = append(forms, string(b[1:len(b)-1]))
	}
	return append(forms, url.QueryEscape(v), url.PathEscape(v))
}

// logValues are the strings logs must never show.
func (x *redactor) logValues() []string {
	return append(slices.Clone(x.secrets), wireForms(x.accessKey)...)
}

// string returns s with every secret hidden.
func (x *redactor) string(s string) string {
	if s == "" {
		return s
	}
	return x.replacer.Replace(s)
}

// error hides the secrets in the text of e: Message, Details and the
// underlying error (whose chain stays inspectable with errors.Is/As). It
// changes e in place and returns it.
func (x *redactor) error(e *Error) *Error {
	e.Message = x.string(e.Message)
	e.Details = x.string(e.Details)
	if e.Err != nil {
		if msg := e.Err.Error(); x.string(msg) != msg {
			e.Err = redactedError{msg: x.string(msg), err: e.Err}
		}
	}
	return e
}

// redactedError is an error whose text had secrets hidden.
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }
