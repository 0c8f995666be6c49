// Package clienttest builds client cores for the tests of the service
// client packages: every endpoint at one test server, fast retries.
package clienttest

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
)

// Keys of the clients New builds.
const (
	AccessKey = "NCPTESTACCESSKEY0001"
	SecretKey = "clienttest-secret-key"
)

// New returns a client core whose endpoints all point at url, signed with
// AccessKey and SecretKey, with at most 3 retries of 1-5 ms.
func New(t testing.TB, url string) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{
		AccessKey: AccessKey, SecretKey: SecretKey, Region: "KR",
		Endpoints:  client.Endpoints{Ncloud: url, VODStation: url, GlobalEdge: url, CloudFunctions: url, ObjectStorage: url},
		MaxRetries: 3, RetryMinDelay: time.Millisecond, RetryMaxDelay: 5 * time.Millisecond,
	})
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	return c
}

// Exchange is one request a Server saw.
type Exchange struct {
	Method, RequestURI, ContentType, Body string
}

// Server answers each request with the next of its replies (the last one
// repeats) and records what it saw.
type Server struct {
	*httptest.Server
	mu   sync.Mutex
	seen []Exchange
}

// Reply is one answer: an HTTP status and a JSON body ("" for none).
type Reply struct {
	Status int
	Body   string
}

// NewServer starts a Server for the test.
func NewServer(t testing.TB, replies ...Reply) *Server {
	t.Helper()
	if len(replies) == 0 {
		t.Fatal("clienttest.NewServer: no replies")
	}
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.seen = append(s.seen, Exchange{r.Method, r.RequestURI, r.Header.Get("Content-Type"), string(b)})
		rep := replies[min(len(s.seen), len(replies))-1]
		s.mu.Unlock()
		if rep.Body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(rep.Status)
		_, _ = io.WriteString(w, rep.Body)
	}))
	t.Cleanup(s.Close)
	return s
}

// Seen returns the requests received so far.
func (s *Server) Seen() []Exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Exchange(nil), s.seen...)
}

// ErrorCase is an error answer and the kind DoJSON must give its error.
type ErrorCase struct {
	Status int
	Body   string
	Kind   client.Kind
}

// CheckErrorKinds sends req once per case, to a server answering with the
// case, and fails t unless DoJSON returns an *client.Error of the case's
// kind, with its HTTP status and req's service.
func CheckErrorKinds(t *testing.T, req client.JSONRequest, cases []ErrorCase) {
	t.Helper()
	for _, tc := range cases {
		srv := NewServer(t, Reply{Status: tc.Status, Body: tc.Body})
		r := req
		_, err := New(t, srv.URL).DoJSON(t.Context(), &r, nil)
		var e *client.Error
		if !errors.As(err, &e) || e.Kind != tc.Kind || e.HTTPStatus != tc.Status || e.Service != req.API.Service {
			t.Errorf("HTTP %d %s: got %#v (%v), want kind %v", tc.Status, tc.Body, e, err, tc.Kind)
		}
	}
}
