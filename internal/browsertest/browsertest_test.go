package browsertest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestBrowserRendersAndScreenshots(t *testing.T) {
	if _, err := FindChromium(); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><title>t</title><p id="p">hello</p><script>document.getElementById('p').textContent += ' from script'</script>`))
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b, err := Start(ctx, Options{Width: 400, Height: 300})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Navigate(srv.URL); err != nil {
		t.Fatal(err)
	}
	if err := b.WaitFor(ctx, "the script", `document.getElementById('p').textContent.endsWith('script')`); err != nil {
		t.Fatal(err)
	}
	text, err := Eval[string](b, `document.getElementById('p').textContent`)
	if err != nil {
		t.Fatal(err)
	}
	if text != "hello from script" {
		t.Errorf("page text %q", text)
	}
	shot := filepath.Join(t.TempDir(), "sub", "shot.png")
	if err := b.Screenshot(shot); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(shot); err != nil || st.Size() < 100 {
		t.Errorf("screenshot %v %v", st, err)
	}
}

func TestFindChromiumHonoursEnv(t *testing.T) {
	t.Setenv("CHROMIUM", filepath.Join(t.TempDir(), "no-such-browser"))
	if _, err := FindChromium(); err == nil {
		t.Fatal("a missing $CHROMIUM was accepted")
	}
}
