package ncplocal

import (
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vserver"
)

// defaultServices returns the services a server runs when Options.Services
// is nil: every NCP API the provider calls.
func defaultServices(env emu.Env) []emu.Service {
	vpcs := vpc.New(env)
	objects := objectstorage.New(env)
	// edges is also VOD Station's cdnlink.Edges; its domains serve their
	// buckets from objects.
	edges := globaledge.New(env)
	edges.ServeObjectsFrom(objects)
	return []emu.Service{vpcs, vserver.New(env, vpcs), objects, edges}
}
