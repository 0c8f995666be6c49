package ncplocal

import (
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vserver"
)

// defaultServices returns the services a server runs when Options.Services
// is nil: every NCP API the provider calls.
func defaultServices(env emu.Env) []emu.Service {
	vpcs := vpc.New(env)
	buckets := objectstorage.New(env)
	return []emu.Service{vpcs, vserver.New(env, vpcs), buckets,
		cloudfunctions.New(env, cloudfunctions.Deps{VPC: vpcs, Buckets: buckets})}
}
