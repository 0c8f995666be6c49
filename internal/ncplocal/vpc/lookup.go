package vpc

import "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"

// Lookup answers whether account accountID has VPC vpcNo and, in it,
// subnet subnetNo (both existing now, whatever their status), for services
// whose objects refer to them (Cloud Functions actions on platform=vpc).
func (s *Service) Lookup(accountID, vpcNo, subnetNo string) (vpcFound, subnetInVpc bool) {
	_ = s.store.View(func(tx *emu.Tx) error {
		if _, ok := s.vpcs.Get(tx, accountID, vpcNo); !ok {
			return nil
		}
		vpcFound = true
		if sn, ok := s.subnets.Get(tx, accountID, subnetNo); ok && sn.VpcNo == vpcNo {
			subnetInVpc = true
		}
		return nil
	})
	return vpcFound, subnetInVpc
}
