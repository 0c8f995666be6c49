package ncplocal

import (
	"os"
	"path/filepath"

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
	return []emu.Service{vpcs, vserver.New(env, vpcs), buckets,
		cloudfunctions.New(env, cloudfunctions.Deps{VPC: vpcs, Buckets: buckets}),
		edges, vodstation.New(env, buckets, edges, vodEncoder(env, buckets)...)}
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
