// Package browsertest drives a headless Chromium (Debian's /usr/bin/chromium
// by default) with chromedp, for tests that must see a page really work in
// a browser: the player page playing HLS, for one.
//
// Each Browser runs its own Chromium process with a fresh profile
// directory, no GPU, no QUIC and none of Chromium's background traffic
// (updates, sync, component downloads), so a test never reaches outside the
// machine on its own.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
)

// InstallHint names the step that installs Chromium.
const InstallHint = "run scripts/install-media-tools.sh as root (apt-get install chromium)"

// DefaultChromium is Debian's Chromium.
const DefaultChromium = "/usr/bin/chromium"

// FindChromium returns the browser to run: $CHROMIUM when set, else
// /usr/bin/chromium, else chromium or chromium-browser on PATH.
func FindChromium() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("CHROMIUM=%s: %w", p, err)
		}
		return p, nil
	}
	if st, err := os.Stat(DefaultChromium); err == nil && !st.IsDir() {
		return DefaultChromium, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("chromium not found (%s, or chromium on PATH): %s", DefaultChromium, InstallHint)
}

// Options configure a Browser.
type Options struct {
	// Chromium is the executable; empty means FindChromium.
	Chromium string
	// Width and Height are the window size; zero means 1280x800.
	Width, Height int
}

// Browser is a running headless Chromium.
type Browser struct {
	ctx         context.Context
	cancelTab   context.CancelFunc
	cancelAlloc context.CancelFunc
	profile     string
}

// Flags are the command-line switches every Browser runs with (besides
// the fresh --user-data-dir and the window size).
var Flags = []string{
	"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run",
	"disable-background-networking", "disable-component-update", "disable-sync",
	"no-default-browser-check", "disable-default-apps", "disable-extensions",
	"mute-audio", "autoplay-policy=no-user-gesture-required",
}

// Start launches Chromium; ctx bounds the browser's life. Close it.
func Start(ctx context.Context, o Options) (*Browser, error) {
	path := o.Chromium
	if path == "" {
		var err error
		if path, err = FindChromium(); err != nil {
			return nil, err
		}
	}
	if o.Width == 0 || o.Height == 0 {
		o.Width, o.Height = 1280, 800
	}
	profile, err := os.MkdirTemp("", "browsertest-profile-*")
	if err != nil {
		return nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(o.Width, o.Height),
	}
	for _, f := range Flags {
		name, value, hasValue := cutFlag(f)
		if hasValue {
			opts = append(opts, chromedp.Flag(name, value))
		} else {
			opts = append(opts, chromedp.Flag(name, true))
		}
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	b := &Browser{ctx: tabCtx, cancelTab: cancelTab, cancelAlloc: cancelAlloc, profile: profile}
	// Start the browser now, so a missing or broken Chromium fails here.
	if err := chromedp.Do(tabCtx); err != nil {
		b.Close()
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	return b, nil
}

func cutFlag(f string) (name, value string, ok bool) {
	for i := 0; i < len(f); i++ {
		if f[i] == '=' {
			return f[:i], f[i+1:], true
		}
	}
	return f, "", false
}

// Context is the tab's context, for chromedp.Run and chromedp.Do.
func (b *Browser) Context() context.Context { return b.ctx }

// Do runs chromedp actions in the tab, in order.
func (b *Browser) Do(actions ...chromedp.Action[chromedp.Void]) error {
	return chromedp.Do(b.ctx, actions...)
}

// Navigate opens url in the tab.
func (b *Browser) Navigate(url string) error {
	return b.Do(chromedp.Navigate(url))
}

// Eval evaluates a JavaScript expression in the page and decodes its value
// into out (JSON).
func Eval[T any](b *Browser, expression string) (T, error) {
	return chromedp.Run(b.ctx, chromedp.Evaluate[T](expression))
}

// WaitFor evaluates a boolean JavaScript expression every 100 ms until it
// is true or ctx ends; the error then says what was awaited.
func (b *Browser) WaitFor(ctx context.Context, what, expression string) error {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		ok, err := Eval[bool](b, expression)
		if err == nil && ok {
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("waiting for %s: %w (last evaluation: %v)", what, ctx.Err(), last)
			}
			return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		case <-tick.C:
		}
	}
}

// Screenshot saves a PNG of the whole page to path (directories created).
func (b *Browser) Screenshot(path string) error {
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	if len(png) < 8 || string(png[1:4]) != "PNG" {
		return errors.New("screenshot: the browser returned no PNG")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}

// Close stops Chromium and removes its profile.
func (b *Browser) Close() {
	b.cancelTab()
	b.cancelAlloc()
	_ = os.RemoveAll(b.profile)
}
