package vpc

import (
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/legacyapi"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// createNetworkAcl: vpcNo (required), networkAclName and
// networkAclDescription (optional), as the guide documents them [C]
// DOC:networking-vpc-networkacl-createnetworkacl. The name follows the VPC
// name rule (3-30 lowercase letters, digits and '-', a letter first, a
// letter or digit last); NCP names the ACL when none is given (the form of
// that name is [?]). The description is at most 1000 bytes. The VPC must
// exist in the caller's account and region and be RUN. The name must not
// be used by another ACL of the VPC [?]. The guide's example answers the
// new ACL in status RUN, so it is RUN at once.
func (s *Service) createNetworkAcl(c *legacyapi.Call) (any, *legacyapi.Error) {
	vpcNo, e := c.RequiredNumber(wire.ParamVpcNo)
	if e != nil {
		return nil, e
	}
	name := c.Get(wire.ParamNetworkAclName)
	if name != "" {
		if e := validateName(wire.ParamNetworkAclName, name); e != nil {
			return nil, e
		}
	}
	desc := c.Get(wire.ParamNetworkAclDescription)
	if len(desc) > wire.MaxNetworkAclDescriptionBytes {
		return nil, legacyapi.Invalid("%s must be at most %d bytes long (got %d bytes)", wire.ParamNetworkAclDescription, wire.MaxNetworkAclDescriptionBytes, len(desc))
	}

	var acl aclRecord
	e = s.update(c, func(tx *emu.Tx) *legacyapi.Error {
		v, e := ownedRun(tx, s.vpcs, c, vpcNo, "VPC", wire.ParamVpcNo, vpcRegion, "network ACLs can only be created in a VPC in RUN status")
		if e != nil {
			return e
		}
		taken := map[string]bool{}
		for _, other := range s.aclsOf.List(tx, c.AccountID, v.No) {
			taken[other.Name] = true
		}
		if name != "" && taken[name] {
			return legacyapi.Fail(wire.CodeDuplicateName, "%s %q is already used by another network ACL of VPC %s", wire.ParamNetworkAclName, name, v.No)
		}
		no := s.numbers.NextString(tx)
		if name == "" {
			name = uniqueName("nacl-"+no, taken)
		}
		acl = aclRecord{No: no, VpcNo: v.No, Region: v.Region, Name: name, Description: desc, CreateDate: tx.Now(), Life: emu.Life{Status: wire.StatusRun}}
		s.acls.Put(tx, c.AccountID, no, acl)
		return nil
	})
	if e != nil {
		return nil, e
	}
	var out wire.NetworkAcl
	s.view(func(tx *emu.Tx) { out = acl.wire(s.acls.Status(tx, &acl)) })
	return wire.NetworkAclListResponse{Response: c.Response(1), NetworkAclList: []wire.NetworkAcl{out}}, nil
}

// deleteNetworkAcl: networkAclNo (required) [C]
// DOC:networking-vpc-networkacl-deletenetworkacl. The ACL must exist in the
// caller's account and region, must not be its VPC's default one (that one
// goes with the VPC), must be RUN (not applying a change), and no subnet may
// use it; the codes and messages of these refusals are [?]. It then shows
// TERMTING for the async delay and is gone after it; the answer shows it as
// the guide's example does, status TERMT.
func (s *Service) deleteNetworkAcl(c *legacyapi.Call) (any, *legacyapi.Error) {
	no, e := c.RequiredNumber(wire.ParamNetworkAclNo)
	if e != nil {
		return nil, e
	}
	var out wire.NetworkAcl
	e = s.update(c, func(tx *emu.Tx) *legacyapi.Error {
		acl, e := owned(tx, s.acls, c, no, "network ACL", wire.ParamNetworkAclNo, aclRegion)
		if e != nil {
			return e
		}
		if acl.IsDefault {
			return legacyapi.Fail(wire.CodeInvalidStatus, "network ACL %s is the default network ACL of VPC %s; it is deleted with the VPC", no, acl.VpcNo)
		}
		switch st := s.acls.Status(tx, &acl); st {
		case wire.StatusRun:
		case wire.StatusSet:
			return legacyapi.Fail(wire.CodeAclChanging, "network ACL %s is applying a change (%s); please try again later", no, st)
		default:
			return legacyapi.Fail(wire.CodeInvalidStatus, "network ACL %s is %s; only a network ACL in RUN status can be deleted", no, st)
		}
		var users []string
		for _, sn := range s.subnetsOf.List(tx, c.AccountID, acl.VpcNo) {
			if sn.NetworkAclNo == no {
				users = append(users, sn.No)
			}
		}
		if len(users) > 0 {
			return legacyapi.Fail(wire.CodeInUse, "network ACL %s is used by %d subnet(s) (subnetNo %s); give them another network ACL first", no, len(users), strings.Join(users, ", "))
		}
		s.acls.Begin(tx, &acl, deleteTransition.Name)
		s.acls.Put(tx, c.AccountID, no, acl)
		out = acl.wire(wire.StatusTermt)
		return nil
	})
	if e != nil {
		return nil, e
	}
	return wire.NetworkAclListResponse{Response: c.Response(1), NetworkAclList: []wire.NetworkAcl{out}}, nil
}
