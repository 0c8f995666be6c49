// Package playertest drives ncplocal's player page (internal/ncplocal/player)
// in a headless Chromium (internal/browsertest), for the tests that must see
// it really play: the page's own test and the end-to-end pipeline test.
//
// It knows the page's markup and script: the video list (#list), the
// <video id="video"> element, the quality list (#quality) and
// window.playerState, where player.js records readiness and errors.
package playertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/browsertest"
)

// Page is the player page open in its own Chromium.
type Page struct {
	ctx context.Context
	b   *browsertest.Browser
}

// Open starts Chromium with a width x height window and opens url (the
// page, with ?v=ID for a given video). ctx bounds the browser's life; the
// browser is closed when the test ends. It fails t when Chromium is
// missing or the page cannot be opened.
func Open(ctx context.Context, t testing.TB, url string, width, height int) *Page {
	t.Helper()
	b, err := browsertest.Start(ctx, browsertest.Options{Width: width, Height: height})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	if err := b.Navigate(url); err != nil {
		t.Fatalf("opening the player page %s: %v", url, err)
	}
	return &Page{ctx: ctx, b: b}
}

// Browser is the page's browser, for what this package does not cover.
func (p *Page) Browser() *browsertest.Browser { return p.b }

// Eval evaluates a JavaScript expression in the page, failing t on error.
func Eval[T any](t testing.TB, p *Page, expression string) T {
	t.Helper()
	v, err := browsertest.Eval[T](p.b, expression)
	if err != nil {
		t.Fatalf("evaluating %s in the player page: %v", expression, err)
	}
	return v
}

const errorsJS = `JSON.stringify(window.playerState ? window.playerState.errors : ["no player state"])`

// Errors returns the errors the player recorded, as JSON ("[]" for none).
func (p *Page) Errors() string {
	errs, err := browsertest.Eval[string](p.b, errorsJS)
	if err != nil {
		return fmt.Sprintf("(cannot read the player's errors: %v)", err)
	}
	return errs
}

// Wait waits up to d for the boolean expression to be true, failing t with
// what was awaited and the player's errors otherwise.
func (p *Page) Wait(t testing.TB, what, expression string, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, d)
	defer cancel()
	if err := p.b.WaitFor(ctx, what, expression); err != nil {
		t.Fatalf("%v; player errors: %s", err, p.Errors())
	}
}

// WaitReady waits until the player has read the selected video's master
// playlist.
func (p *Page) WaitReady(t testing.TB) {
	t.Helper()
	p.Wait(t, "the master playlist", `window.playerState && window.playerState.ready`, 30*time.Second)
}

// CurrentTime is the video's clock, in seconds.
func (p *Page) CurrentTime(t testing.TB) float64 {
	t.Helper()
	return Eval[float64](t, p, `document.getElementById('video').currentTime`)
}

// WaitPlaying waits until the video's clock passes after (seconds), then
// checks that neither the player nor the video element saw an error: the
// video really plays.
func (p *Page) WaitPlaying(t testing.TB, after float64) {
	t.Helper()
	p.Wait(t, fmt.Sprintf("playback past %.1f s", after),
		fmt.Sprintf(`document.getElementById('video').currentTime > %f`, after), 60*time.Second)
	if errs := p.Errors(); errs != "[]" {
		t.Fatalf("the player recorded errors: %s", errs)
	}
	if !Eval[bool](t, p, `document.getElementById('video').error === null`) {
		t.Fatalf("the video element has an error: %s", Eval[string](t, p, `JSON.stringify(document.getElementById('video').error.message)`))
	}
}

// Listed returns the titles of the videos the page lists.
func (p *Page) Listed(t testing.TB) []string {
	t.Helper()
	return Eval[[]string](t, p, `Array.from(document.querySelectorAll('#list li a')).map(a => a.firstChild.textContent.trim())`)
}

// QualityOptions returns the labels of the quality list: "Auto", then one
// per rendition ("720p · 3207 kbps").
func (p *Page) QualityOptions(t testing.TB) []string {
	t.Helper()
	return Eval[[]string](t, p, `Array.from(document.querySelectorAll('#quality option')).map(o => o.textContent)`)
}

// Screenshot saves a PNG of the page at the path the environment variable
// env names, or in the test's temporary directory when it is unset (so
// that tests write into the checkout only when asked), and returns the
// path.
func (p *Page) Screenshot(t testing.TB, env string) string {
	t.Helper()
	path := os.Getenv(env)
	if path == "" {
		path = filepath.Join(t.TempDir(), "player.png")
	}
	if err := p.b.Screenshot(path); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the player: %s", path)
	return path
}
