package ncplocal

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/player"
)

// PlayerPath is where the server serves the player page
// (internal/ncplocal/player): the list of encoded videos and an hls.js
// player. It lies under the admin prefix, so no bucket can hide it.
const PlayerPath = AdminPrefix + "player"

// The player's catalog is the seam between the page and the services that
// know about videos. Any service the server runs that implements
// player.Catalog (VOD Station, for the files it encoded and the channels
// that stream them) contributes its videos, and Options.PlayerCatalog adds
// more; neither the page nor the server knows how a service finds its
// videos. A service joins by having the method
//
//	Videos(ctx context.Context) ([]player.Video, error)
//
// (each Video with a MasterURL the browser can fetch: the channel's CDN
// URL as ncplocal serves it). Until one does, the page lists no video and
// says how to get one.

// serviceCatalog merges the catalogs of the server's services and
// Options.PlayerCatalog: newest first, then by title, IDs unique (the first
// source to use an ID keeps it).
type serviceCatalog struct {
	sources []player.Catalog
}

// newServiceCatalog collects the catalogs of svcs, then extra (when set).
func newServiceCatalog(svcs []emu.Service, extra player.Catalog) *serviceCatalog {
	c := &serviceCatalog{}
	for _, svc := range svcs {
		if pc, ok := svc.(player.Catalog); ok {
			c.sources = append(c.sources, pc)
		}
	}
	if extra != nil {
		c.sources = append(c.sources, extra)
	}
	return c
}

// Videos implements player.Catalog. A failing source fails the listing:
// the page then shows the error instead of a silently shorter list.
func (c *serviceCatalog) Videos(ctx context.Context) ([]player.Video, error) {
	out := []player.Video{}
	seen := map[string]bool{}
	var errs []error
	for _, src := range c.sources {
		vs, err := src.Videos(ctx)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, v := range vs {
			if v.ID == "" || seen[v.ID] {
				continue
			}
			seen[v.ID] = true
			out = append(out, v)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.After(out[j].Created)
		}
		return out[i].Title < out[j].Title
	})
	return out, nil
}

// isPlayerPath reports whether p is the player page or one of its files.
func isPlayerPath(p string) bool {
	return p == PlayerPath || strings.HasPrefix(p, PlayerPath+"/")
}

// newPlayerHandler mounts the player under PlayerPath. The page is
// read-only (GET and HEAD; the handler refuses other methods), so unlike
// the admin API it is served to browsers, whose requests carry Origin.
func newPlayerHandler(cat player.Catalog, assetsDir string) http.Handler {
	return http.StripPrefix(PlayerPath, player.NewHandler(cat, player.Options{AssetsDir: assetsDir}))
}
