package ncplocal

import (
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
)

// slowS3 is a Persistent S3Service whose PUT blocks until released and then
// counts itself as done; its snapshot is that count.
type slowS3 struct {
	started chan struct{}
	release chan struct{}

	mu   sync.Mutex
	done int
}

func (f *slowS3) Name() string         { return "objectstorage" }
func (f *slowS3) Reset()               {}
func (f *slowS3) Inventory(string) any { return nil }

func (f *slowS3) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	close(f.started)
	<-f.release
	f.mu.Lock()
	f.done++
	f.mu.Unlock()
	_, _ = w.Write([]byte("stored"))
}

func (f *slowS3) Snapshot() ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done > 0 {
		return []byte(`{"done":true}`), nil
	}
	return []byte(`{"done":false}`), nil
}

func (f *slowS3) Restore([]byte) error { return nil }

// TestCloseWaitsForRequestsInFlight: Close lets a running request finish
// and answer, and the final snapshot includes its change.
func TestCloseWaitsForRequestsInFlight(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	svc := &slowS3{started: make(chan struct{}), release: make(chan struct{})}
	srv, err := New(Options{DataDir: dir, Services: func(emu.Env) []emu.Service { return []emu.Service{svc} }})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	addr := srv.URL()[len("http://"):]

	type result struct {
		body string
		err  error
	}
	answered := make(chan result, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPut, srv.URL()+"/bucket/key", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- result{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		answered <- result{body: string(b), err: err}
	}()
	<-svc.started

	closed := make(chan error, 1)
	go func() { closed <- srv.Close() }()
	// Close has begun once the listener refuses connections.
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		_ = c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the listener still accepts connections")
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(svc.release)

	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	if r := <-answered; r.err != nil || r.body != "stored" {
		t.Errorf("the request in flight got %q, %v; want its answer", r.body, r.err)
	}
	if got := string(readState(t, dir).Services["objectstorage"]); got != `{"done":true}` {
		t.Errorf("final checkpoint holds %s; want the finished request's change", got)
	}
}

// TestCloseTimeoutDropsStuckRequests: a request that never ends holds Close
// up only for CloseTimeout, and its client gets an error (its connection is
// dropped) rather than waiting for ever.
func TestCloseTimeoutDropsStuckRequests(t *testing.T) {
	t.Parallel()
	// Only guards against hanging: Close should return after about 1 ms.
	const guard = 30 * time.Second
	svc := &slowS3{started: make(chan struct{}), release: make(chan struct{})}
	defer close(svc.release)
	srv, err := New(Options{CloseTimeout: time.Millisecond, Services: func(emu.Env) []emu.Service { return []emu.Service{svc} }})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	answered := make(chan error, 1)
	go func() {
		resp, err := client.Get(srv.URL() + "/bucket/key")
		if err == nil {
			_ = resp.Body.Close()
		}
		answered <- err
	}()
	select {
	case <-svc.started:
	case err := <-answered:
		t.Fatalf("the request ended (%v) before reaching the service", err)
	case <-time.After(guard):
		t.Fatal("the request never reached the service")
	}

	closed := make(chan error, 1)
	go func() { closed <- srv.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close: %v", err)
		}
	case <-time.After(guard):
		t.Fatalf("Close still waiting for the stuck request after %s; CloseTimeout is 1 ms", guard)
	}
	select {
	case err := <-answered:
		if err == nil {
			t.Error("the stuck request got an answer; want its connection dropped")
		}
	case <-time.After(guard):
		t.Fatalf("the stuck request's client still waiting %s after Close returned", guard)
	}
}
