package vpc_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/legacyapi/legacyapitest"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// createAcl creates a network ACL and returns it as the answer shows it.
func createAcl(t *testing.T, c *legacyapitest.Client, kv ...string) wire.NetworkAcl {
	t.Helper()
	resp := legacyapitest.Decode[wire.NetworkAclListResponse](t, c.Call(wire.ActionCreateNetworkAcl, p(kv...)), wire.ActionCreateNetworkAcl)
	if resp.TotalRows != 1 || len(resp.NetworkAclList) != 1 {
		t.Fatalf("createNetworkAcl answered %s", legacyapitest.JSON(resp))
	}
	return resp.NetworkAclList[0]
}

// TestCreateNetworkAcl: createNetworkAcl as the guide documents it: the ACL
// is RUN at once, named as asked (or by ncplocal), not default, listed with
// its VPC's; bad input is refused naming the parameter.
func TestCreateNetworkAcl(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	v, defAcl := f.readyVpc(t, f.a, "10.0.0.0/16", "one")

	acl := createAcl(t, f.a, wire.ParamVpcNo, v.VpcNo, wire.ParamNetworkAclName, "test-acl", wire.ParamNetworkAclDescription, "for the tests")
	if acl.NetworkAclName != "test-acl" || acl.VpcNo != v.VpcNo || acl.IsDefault || status(acl.NetworkAclStatus) != wire.StatusRun ||
		acl.NetworkAclStatus.CodeName != "run" || acl.NetworkAclDescription != "for the tests" || acl.CreateDate == "" || acl.NetworkAclNo == defAcl {
		t.Errorf("created ACL: %s", legacyapitest.JSON(acl))
	}
	unnamed := createAcl(t, f.a, wire.ParamVpcNo, v.VpcNo)
	if !nameRule(unnamed.NetworkAclName) || unnamed.NetworkAclName == acl.NetworkAclName {
		t.Errorf("generated name %q does not follow the name rule or repeats one", unnamed.NetworkAclName)
	}
	got := acls(t, f.a, p(wire.ParamVpcNo, v.VpcNo))
	if len(got) != 3 || got[0].NetworkAclNo != defAcl || got[1].NetworkAclNo != acl.NetworkAclNo || got[2].NetworkAclNo != unnamed.NetworkAclNo {
		t.Errorf("ACLs of the VPC: %s", legacyapitest.JSON(got))
	}
	// Another account sees none of them.
	if got := acls(t, f.b, p()); len(got) != 0 {
		t.Errorf("account b lists %s", legacyapitest.JSON(got))
	}

	_, _ = f.readyVpc(t, f.b, "10.0.0.0/16", "bee")
	creating := createVpc(t, f.a, "10.9.0.0/16", "creating")
	for name, tc := range map[string]struct {
		kv   []string
		code string
		says []string
	}{
		"no vpc":             {nil, legacy.CodeInvalidParameter, []string{"vpcNo", "required"}},
		"bad vpc number":     {[]string{wire.ParamVpcNo, "x1"}, legacy.CodeInvalidParameter, []string{"vpcNo"}},
		"unknown vpc":        {[]string{wire.ParamVpcNo, "999999"}, wire.CodeNotFound, []string{"999999"}},
		"vpc being created":  {[]string{wire.ParamVpcNo, creating.VpcNo}, wire.CodeInvalidStatus, []string{"RUN"}},
		"name too short":     {[]string{wire.ParamVpcNo, v.VpcNo, wire.ParamNetworkAclName, "ab"}, legacy.CodeInvalidParameter, []string{"networkAclName", "3-30"}},
		"name upper case":    {[]string{wire.ParamVpcNo, v.VpcNo, wire.ParamNetworkAclName, "Acl-one"}, legacy.CodeInvalidParameter, []string{"networkAclName"}},
		"name ends with -":   {[]string{wire.ParamVpcNo, v.VpcNo, wire.ParamNetworkAclName, "acl-"}, legacy.CodeInvalidParameter, []string{"networkAclName"}},
		"name taken in vpc":  {[]string{wire.ParamVpcNo, v.VpcNo, wire.ParamNetworkAclName, "test-acl"}, wire.CodeDuplicateName, []string{"test-acl"}},
		"description 1001 B": {[]string{wire.ParamVpcNo, v.VpcNo, wire.ParamNetworkAclDescription, strings.Repeat("a", 1001)}, legacy.CodeInvalidParameter, []string{"networkAclDescription", "1000 bytes"}},
		"description bytes":  {[]string{wire.ParamVpcNo, v.VpcNo, wire.ParamNetworkAclDescription, strings.Repeat("가", 334)}, legacy.CodeInvalidParameter, []string{"1002 bytes"}},
	} {
		t.Run(name, func(t *testing.T) {
			legacyapitest.ExpectError(t, f.a.Call(wire.ActionCreateNetworkAcl, p(tc.kv...)), http.StatusBadRequest, tc.code, tc.says...)
		})
	}
	// A VPC of another account is not found.
	legacyapitest.ExpectError(t, f.b.Call(wire.ActionCreateNetworkAcl, p(wire.ParamVpcNo, v.VpcNo)), http.StatusBadRequest, wire.CodeNotFound)
	// 1000 bytes is allowed.
	createAcl(t, f.a, wire.ParamVpcNo, v.VpcNo, wire.ParamNetworkAclDescription, strings.Repeat("a", 1000))
}

func nameRule(s string) bool {
	if len(s) < 3 || len(s) > 30 || s[0] < 'a' || s[0] > 'z' || strings.HasSuffix(s, "-") {
		return false
	}
	return strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == ""
}

// TestDeleteNetworkAcl: an ACL no subnet uses is deleted (answered TERMT as
// in the guide, TERMTING in lists, then gone); the default ACL, an ACL in
// use, one applying a change, a foreign and an unknown one are refused.
func TestDeleteNetworkAcl(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	v, defAcl := f.readyVpc(t, f.a, "10.0.0.0/16", "one")
	acl := createAcl(t, f.a, wire.ParamVpcNo, v.VpcNo, wire.ParamNetworkAclName, "second")
	sn := createSubnet(t, f.a, subnetParams(v.VpcNo, acl.NetworkAclNo, "10.0.1.0/24"))
	f.clock.Advance(delay)

	del := func(c *legacyapitest.Client, no string) legacyapitest.Result {
		return c.Call(wire.ActionDeleteNetworkAcl, p(wire.ParamNetworkAclNo, no))
	}
	legacyapitest.ExpectError(t, del(f.a, acl.NetworkAclNo), http.StatusBadRequest, wire.CodeInUse, sn.SubnetNo)
	legacyapitest.ExpectError(t, del(f.a, defAcl), http.StatusBadRequest, wire.CodeInvalidStatus, "default")
	legacyapitest.ExpectError(t, del(f.a, "999999"), http.StatusBadRequest, wire.CodeNotFound, "999999")
	legacyapitest.ExpectError(t, del(f.b, acl.NetworkAclNo), http.StatusBadRequest, wire.CodeNotFound)
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionDeleteNetworkAcl, p()), http.StatusBadRequest, legacy.CodeInvalidParameter, "networkAclNo")

	// The subnet moves to the default ACL, and back to the second one, which
	// is then SET (applying the change): an ACL applying a change cannot be
	// deleted. Then the subnet leaves it for good.
	f.a.Call(wire.ActionSetSubnetNetworkAcl, p(wire.ParamSubnetNo, sn.SubnetNo, wire.ParamNetworkAclNo, defAcl))
	f.clock.Advance(delay)
	f.a.Call(wire.ActionSetSubnetNetworkAcl, p(wire.ParamSubnetNo, sn.SubnetNo, wire.ParamNetworkAclNo, acl.NetworkAclNo))
	legacyapitest.ExpectError(t, del(f.a, acl.NetworkAclNo), http.StatusBadRequest, wire.CodeAclChanging, "SET")
	f.clock.Advance(delay)
	f.a.Call(wire.ActionSetSubnetNetworkAcl, p(wire.ParamSubnetNo, sn.SubnetNo, wire.ParamNetworkAclNo, defAcl))
	f.clock.Advance(delay)

	resp := legacyapitest.Decode[wire.NetworkAclListResponse](t, del(f.a, acl.NetworkAclNo), wire.ActionDeleteNetworkAcl)
	if resp.TotalRows != 1 || len(resp.NetworkAclList) != 1 || resp.NetworkAclList[0].NetworkAclNo != acl.NetworkAclNo ||
		status(resp.NetworkAclList[0].NetworkAclStatus) != wire.StatusTermt || resp.NetworkAclList[0].NetworkAclStatus.CodeName != "terminate" {
		t.Fatalf("deleteNetworkAcl answered %s", legacyapitest.JSON(resp))
	}
	listed := acls(t, f.a, p(wire.ParamVpcNo, v.VpcNo))
	if len(listed) != 2 || status(listed[1].NetworkAclStatus) != wire.StatusTermting {
		t.Errorf("ACLs while the deletion is under way: %s", legacyapitest.JSON(listed))
	}
	legacyapitest.ExpectError(t, del(f.a, acl.NetworkAclNo), http.StatusBadRequest, wire.CodeInvalidStatus, "TERMTING")
	f.clock.Advance(delay)
	if listed := acls(t, f.a, p(wire.ParamVpcNo, v.VpcNo)); len(listed) != 1 || listed[0].NetworkAclNo != defAcl {
		t.Errorf("ACLs after the deletion: %s", legacyapitest.JSON(listed))
	}
	legacyapitest.ExpectError(t, del(f.a, acl.NetworkAclNo), http.StatusBadRequest, wire.CodeNotFound)
}

// TestDeleteVpcWithNetworkAcls: a VPC with a network ACL besides its
// default one is not deleted until that ACL is deleted; one being deleted
// no longer blocks it, and goes with the VPC.
func TestDeleteVpcWithNetworkAcls(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	v, _ := f.readyVpc(t, f.a, "10.0.0.0/16", "one")
	acl := createAcl(t, f.a, wire.ParamVpcNo, v.VpcNo)
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionDeleteVpc, p(wire.ParamVpcNo, v.VpcNo)), http.StatusBadRequest, wire.CodeInUse, acl.NetworkAclNo)
	legacyapitest.Decode[wire.NetworkAclListResponse](t, f.a.Call(wire.ActionDeleteNetworkAcl, p(wire.ParamNetworkAclNo, acl.NetworkAclNo)), wire.ActionDeleteNetworkAcl)
	if got := vpcs(t, f.a.Call(wire.ActionDeleteVpc, p(wire.ParamVpcNo, v.VpcNo)), wire.ActionDeleteVpc); len(got) != 1 || status(got[0].VpcStatus) != wire.StatusTermting {
		t.Fatalf("deleteVpc answered %s", legacyapitest.JSON(got))
	}
	f.clock.Advance(delay)
	if got := acls(t, f.a, p()); len(got) != 0 {
		t.Errorf("ACLs after the VPC is gone: %s", legacyapitest.JSON(got))
	}
}
