package ncplocal

import (
	"fmt"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
)

// applyLimits gives the VPC service among svcs the account limits opts
// raise (Options.VpcsPerRegion); the others stay NCP's defaults.
func applyLimits(opts Options, svcs []emu.Service) error {
	if opts.VpcsPerRegion < 0 {
		return fmt.Errorf("ncplocal: VpcsPerRegion %d is negative", opts.VpcsPerRegion)
	}
	if opts.VpcsPerRegion == 0 {
		return nil
	}
	for _, svc := range svcs {
		if v, ok := svc.(*vpc.Service); ok {
			l := vpc.DefaultLimits
			l.VpcsPerRegion = opts.VpcsPerRegion
			v.SetLimits(l)
		}
	}
	return nil
}
