package client

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

// LogSubsystem is the tflog subsystem of all client logs
// (TF_LOG_PROVIDER_NCP when the provider enables per-subsystem levels).
const LogSubsystem = "ncp"

// maxLoggedBody caps the request and response bodies logged at TRACE.
const maxLoggedBody = 16 << 10

// operationKey is the context key of the Service/Operation of a Do call.
type operationKey struct{}

type operation struct {
	service, name string
	hidden        []string // Request.LogHiddenFields
}

// subsystemKey marks a context on which this package set up LogSubsystem.
type subsystemKey struct{}

// logTransport logs one DEBUG entry per attempt (and bodies at TRACE). It
// never logs the secret key, and the access key only masked.
type logTransport struct {
	next   http.RoundTripper
	redact *redactor // the client's keys
}

// context returns ctx with the "ncp" subsystem logger and its masking set
// up, creating the subsystem when ctx does not have it yet.
func (t *logTransport) context(ctx context.Context) context.Context {
	if ctx.Value(subsystemKey{}) != nil {
		return ctx
	}
	ctx = tflog.NewSubsystem(ctx, LogSubsystem)
	// A safety net: the code below never logs the keys, but a body or an
	// error message could echo them (an API Gateway 401 may quote the
	// string to sign, which holds the access key).
	ctx = maskLogs(ctx, t.redact.logValues())
	return context.WithValue(ctx, subsystemKey{}, true)
}

// maskLogs returns ctx whose "ncp" subsystem logger writes "***" for each
// of values, in messages and field values alike.
func maskLogs(ctx context.Context, values []string) context.Context {
	if len(values) == 0 {
		return ctx
	}
	ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, LogSubsystem, values...)
	return tflog.SubsystemMaskMessageStrings(ctx, LogSubsystem, values...)
}

// RoundTrip implements http.RoundTripper.
func (t *logTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx := t.context(r.Context())
	fields := t.requestFields(r)

	var reqBody string
	if r.GetBody != nil && textual(r.Header.Get("Content-Type")) {
		if rc, err := r.GetBody(); err == nil {
			b, _ := io.ReadAll(io.LimitReader(rc, maxLoggedBody+1))
			rc.Close()
			reqBody = capBody(hideJSONFields(b, hiddenFields(ctx)))
		}
	}

	start := time.Now()
	resp, err := t.next.RoundTrip(r)
	fields["duration_ms"] = time.Since(start).Milliseconds()
	if err != nil {
		fields["error"] = err.Error()
		tflog.SubsystemDebug(ctx, LogSubsystem, "NCP API request failed", fields)
		return nil, err
	}
	fields["status"] = resp.StatusCode
	fields["request_id"] = requestID(resp.Header)
	tflog.SubsystemDebug(ctx, LogSubsystem, "NCP API request", fields)

	trace := map[string]any{
		"method":           r.Method,
		"path":             r.URL.EscapedPath(),
		"attempt":          attemptOf(ctx),
		"query":            maskQuery(r.URL.Query()),
		"request_headers":  t.headers(r.Header),
		"request_body":     reqBody,
		"status":           resp.StatusCode,
		"response_headers": t.headers(resp.Header),
	}
	if !textual(resp.Header.Get("Content-Type")) || resp.Body == nil || resp.Body == http.NoBody {
		tflog.SubsystemTrace(ctx, LogSubsystem, "NCP API exchange", trace)
		return resp, nil
	}
	// The body is logged as the caller reads it, not read ahead here: a
	// response is never held back (or its first bytes awaited) for a log
	// line, and a body nobody reads is logged as far as it was read.
	resp.Body = &tracedBody{ReadCloser: resp.Body, emit: func(body []byte) {
		trace["response_body"] = capBody(hideJSONFields(body, hiddenFields(ctx)))
		tflog.SubsystemTrace(ctx, LogSubsystem, "NCP API exchange", trace)
	}}
	return resp, nil
}

// tracedBody keeps the first maxLoggedBody+1 bytes its reader sees and
// hands them to emit once, at EOF or Close, whichever comes first.
type tracedBody struct {
	io.ReadCloser
	buf  bytes.Buffer
	once sync.Once
	emit func(body []byte)
}

func (b *tracedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if room := maxLoggedBody + 1 - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(n, room)])
	}
	if err == io.EOF { //nolint:errorlint // io.EOF is returned unwrapped by contract
		b.once.Do(func() { b.emit(b.buf.Bytes()) })
	}
	return n, err
}

func (b *tracedBody) Close() error {
	b.once.Do(func() { b.emit(b.buf.Bytes()) })
	return b.ReadCloser.Close()
}

// requestFields are the DEBUG fields describing r.
func (t *logTransport) requestFields(r *http.Request) map[string]any {
	fields := map[string]any{
		"method":  r.Method,
		"host":    r.URL.Host,
		"path":    r.URL.EscapedPath(),
		"attempt": attemptOf(r.Context()),
	}
	if op, ok := r.Context().Value(operationKey{}).(operation); ok {
		fields["service"] = op.service
		fields["operation"] = op.name
	}
	return fields
}

// retrying logs the decision to retry r.
func (t *logTransport) retrying(ctx context.Context, r *http.Request, attempt int, reason string, delay time.Duration, err error) {
	fields := t.requestFields(r)
	fields["attempt"] = attempt
	fields["reason"] = reason
	fields["delay_ms"] = delay.Milliseconds()
	if err != nil {
		fields["error"] = err.Error()
	}
	tflog.SubsystemDebug(ctx, LogSubsystem, "Retrying NCP API request", fields)
}

// paused logs that attempt number attempt of r waited for a throttling pause.
func (t *logTransport) paused(ctx context.Context, r *http.Request, attempt int, waited time.Duration) {
	fields := t.requestFields(r)
	fields["attempt"] = attempt
	fields["waited_ms"] = waited.Milliseconds()
	tflog.SubsystemDebug(ctx, LogSubsystem, "NCP API request held back by throttling", fields)
}

// sensitiveHeaders are logged masked.
var sensitiveHeaders = []string{
	"Authorization", "X-Amz-Security-Token", "Cookie", "Set-Cookie",
	http.CanonicalHeaderKey(apigw.HeaderSignatureV2), http.CanonicalHeaderKey(apigw.HeaderSignatureV1),
}

// headers renders h one "Name: value" per line, sorted, with credentials
// masked. It is a single string so that tflog's value masking applies.
func (t *logTransport) headers(h http.Header) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range h[k] {
			switch {
			case http.CanonicalHeaderKey(k) == http.CanonicalHeaderKey(apigw.HeaderAccessKey):
				v = MaskAccessKey(v)
			case slices.Contains(sensitiveHeaders, http.CanonicalHeaderKey(k)):
				v = maskSecret(v)
			}
			b.WriteString(k + ": " + v + "\n")
		}
	}
	return b.String()
}

// maskSecret keeps only an Authorization scheme ("AWS4-HMAC-SHA256 ***").
func maskSecret(v string) string {
	if scheme, _, ok := strings.Cut(v, " "); ok && !strings.ContainsAny(scheme, "=/") {
		return scheme + " ***"
	}
	return "***"
}

// maskQuery renders q with presigning credentials masked.
func maskQuery(q url.Values) string {
	for k := range q {
		switch strings.ToLower(k) {
		case "x-amz-credential", "x-amz-signature", "x-amz-security-token", "awsaccesskeyid", "signature":
			q[k] = []string{"***"}
		}
	}
	return q.Encode()
}

// textual reports whether a body of this content type is worth logging.
func textual(contentType string) bool {
	ct := strings.ToLower(contentType)
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") ||
		strings.Contains(ct, "xml") || strings.Contains(ct, "x-www-form-urlencoded")
}

// capBody renders b, cut at maxLoggedBody bytes.
func capBody(b []byte) string {
	if len(b) > maxLoggedBody {
		return string(b[:maxLoggedBody]) + "...(truncated)"
	}
	return string(b)
}

// MaskAccessKey masks an access key for display, hiding at least half of
// it: keys of 16 or more characters keep four characters at each end
// ("ABCD************WXYZ"), keys of 10 to 15 keep two, shorter keys are
// masked entirely.
func MaskAccessKey(ak string) string {
	r := []rune(ak)
	switch {
	case len(r) >= 16:
		return string(r[:4]) + strings.Repeat("*", len(r)-8) + string(r[len(r)-4:])
	case len(r) >= 10:
		return string(r[:2]) + strings.Repeat("*", len(r)-4) + string(r[len(r)-2:])
	}
	return strings.Repeat("*", len(r))
}
