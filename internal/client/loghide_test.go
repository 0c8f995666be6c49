package client

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// The members an API names in LogHiddenFields keep their shape in the
// logged bodies but never their values, in the request and the answer,
// at any depth; other members are logged as they are.
func TestLogHiddenFields(t *testing.T) {
	t.Parallel()
	const secret, printed, echoed = "unknown-secret-4d1e", "printed-secret-77aa", "echoed-secret-0b3c"
	srv, _ := server(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"content":{"name":"p","parameters":{"key":%q,"n":5},"activations":[{"response":{"result":{"echo":%q}},"logs":[%q]}]}}`,
			secret, echoed, printed)
	})
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	api := &API{Service: "cloudfunctions", Endpoint: func(Endpoints) string { return srv.URL }, Envelope: EnvelopeContent,
		LogHiddenFields: []string{"parameters", "result", "logs"}}
	var out struct {
		Name       string         `json:"name"`
		Parameters map[string]any `json:"parameters"`
	}
	_, err := newTestClient(t, nil).DoJSON(ctx, &JSONRequest{API: api, Operation: "putPackage", Method: http.MethodPut, Path: "/p",
		Body: map[string]any{"description": "visible", "parameters": map[string]string{"sent": secret}}}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if out.Parameters["key"] != secret {
		t.Errorf("the caller got %v: hiding must only touch the log", out.Parameters)
	}
	log := buf.String()
	for _, s := range []string{secret, printed, echoed} {
		if strings.Contains(log, s) {
			t.Errorf("the log shows %q", s)
		}
	}
	for _, want := range []string{`\"description\":\"visible\"`, `\"sent\":\"***\"`, `\"key\":\"***\"`, `\"n\":\"***\"`,
		`\"name\":\"p\"`, `\"result\":{\"echo\":\"***\"}`, `\"logs\":[\"***\"]`} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %s:\n%s", want, log)
		}
	}
}

func TestHideJSONFields(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{`{"parameters":null,"a":{"parameters":"x","b":[{"logs":["l1","l2"]}]}}`, `{"a":{"b":[{"logs":["***","***"]}],"parameters":"***"},"parameters":null}`},
		{`{"n":12345678901234567890}`, `{"n":12345678901234567890}`},
		{``, ``},
		{`{"parameters":{"k":"v"`, `(22 bytes not shown: not readable as JSON, they may hold values of parameters, logs)`},
		{`{"a":1} {"parameters":{"k":"v"}}`, `(32 bytes not shown: not readable as JSON, they may hold values of parameters, logs)`},
	} {
		if got := string(hideJSONFields([]byte(tc.in), []string{"parameters", "logs"})); got != tc.want {
			t.Errorf("hideJSONFields(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
	if got := string(hideJSONFields([]byte(`{"parameters":{"k":"v"}}`), nil)); got != `{"parameters":{"k":"v"}}` {
		t.Errorf("without fields the body changed: %s", got)
	}
}
