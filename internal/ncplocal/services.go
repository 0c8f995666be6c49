package ncplocal

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vserver"
)

// defaultServices returns the services a server runs when Options.Services
// is nil: every NCP API the provider calls.
func defaultServices(env emu.Env) []emu.Service {
	vpcs := vpc.New(env)
	buckets := objectstorage.New(env)
	// edges is also VOD Station's cdnlink.Edges: a channel created with
	// createCdn gets a real Global Edge edge, visible through its API; its
	// domains serve their buckets from buckets.
	edges := globaledge.New(env)
	edges.ServeObjectsFrom(buckets)
	vodOpts := append(vodEncoder(env, buckets), vodstation.WithCdnURL(func(domain string) string {
		if env.BaseURL == nil || env.BaseURL() == "" {
			return ""
		}
		return env.BaseURL() + strings.TrimSuffix(globaledge.CDNPathPrefix, "/") + "/" + domain
	}))
	vod := vodstation.New(env, buckets, edges, vodOpts...)
	// The channels' playback URLs on their edges' domains are packaged
	// from the renditions in their buckets (HLS and DASH, with ffmpeg).
	edges.ServePlaybackWith(playbackHandler(env, vod))
	return []emu.Service{vpcs, vserver.New(env, vpcs), buckets,
		cloudfunctions.New(env, cloudfunctions.Deps{VPC: vpcs, Buckets: buckets}),
		edges, vod}
}

// playbackHandler serves VOD Station playback paths with a media.Packager
// made on the first request (its cache under DataDir, or a temporary
// directory); without ffmpeg it answers 501 saying so.
func playbackHandler(env emu.Env, vod *vodstation.Service) http.Handler {
	var (
		once sync.Once
		h    http.Handler
		err  error
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() {
			var tools media.Tools
			if tools, err = media.FindTools(); err != nil {
				return
			}
			dir := ""
			if env.DataDir != "" {
				dir = filepath.Join(env.DataDir, "media-cache")
			} else if dir, err = os.MkdirTemp("", "ncplocal-media-cache-"); err != nil {
				return
			}
			var p *media.Packager
			if p, err = media.NewPackager(tools, dir); err == nil {
				h = p.Handler(vod.ResolvePlayback)
			}
		})
		if h == nil {
			http.Error(w, fmt.Sprintf("ncplocal cannot package VOD playback: %v", err), http.StatusNotImplemented)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// vodEncoder encodes VOD Station's jobs with ffmpeg when it is installed;
// without it, jobs complete without media (vodstation.SimulatedEncoder).
func vodEncoder(env emu.Env, objects *objectstorage.Service) []vodstation.Option {
	tools, err := media.FindTools()
	if err != nil {
		return nil
	}
	cfg := media.PoolConfig{Tools: tools}
	if env.DataDir != "" {
		cfg.WorkDir = filepath.Join(env.DataDir, "media-work")
		if os.MkdirAll(cfg.WorkDir, 0o755) != nil {
			cfg.WorkDir = ""
		}
	}
	enc, err := vodstation.NewMediaEncoder(objects, cfg)
	if err != nil {
		return nil
	}
	return []vodstation.Option{vodstation.WithEncoder(enc)}
}
