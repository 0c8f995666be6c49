package ncplocal

import (
	"os"
	"path/filepath"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cdnlink"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
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
	objects := objectstorage.New(env)
	var edges cdnlink.Edges // wired to globaledge at merge
	return []emu.Service{vpcs, vserver.New(env, vpcs), objects, vodstation.New(env, objects, edges, vodEncoder(env, objects)...)}
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
