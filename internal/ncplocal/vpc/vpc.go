// Package vpc emulates the NCP VPC API (/vpc/v2/, ncp-api.md §5): VPCs,
// subnets, and the default network ACL and route tables every VPC gets.
//
// State lives in an emu.Store: one table per object kind, keyed by account
// and object number, with the lifecycles of ncp-api.md §5.4 (INIT →
// CREATING → RUN, TERMTING → gone; a network ACL shows SET while a subnet's
// ACL change is applied). Statuses are computed when read, so a request
// costs what it touches.
//
// Other emulated services follow VPC lifecycles through the Events topic:
// the VServer emulator keeps each VPC's default access control group that
// way.
package vpc

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"sync"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/legacyapi"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// ServiceName is the service's short name, used in inventory and operation
// names ("vpc:createVpc").
const ServiceName = "vpc"

// firstNo is the number before the first object number the service hands
// out. Numbers come from one sequence shared by all accounts and object
// kinds, so they never collide; they are never reused, not after Reset and
// not after a restart, so a stale client state can never address a newer
// object.
const firstNo = 10000

// errorStatus is the status a create ends in under the "fail" progression.
// NCP documents no error status for VPC objects [?]; ncplocal shows this
// one so that a create that fails can be tested.
const errorStatus = "ERROR"

// Kinds of the VPC service's objects and their transitions (ncp-api.md
// §5.4).
var (
	createTransition = emu.Transition{Name: "create", Through: []string{wire.StatusInit, wire.StatusCreating}, To: wire.StatusRun, Failed: errorStatus}
	deleteTransition = emu.Transition{Name: "delete", Through: []string{wire.StatusTermting}, To: emu.Gone}
	// setTransition is a network ACL's while a subnet's ACL change is
	// applied (setSubnetNetworkAcl).
	setTransition = emu.Transition{Name: "set", Through: []string{wire.StatusSet}, To: wire.StatusRun}

	VpcKind        = emu.Kind{Name: "vpc/vpc", Transitions: []emu.Transition{createTransition, deleteTransition}}
	SubnetKind     = emu.Kind{Name: "vpc/subnet", Transitions: []emu.Transition{createTransition, deleteTransition}}
	NetworkAclKind = emu.Kind{Name: "vpc/networkAcl", Transitions: []emu.Transition{createTransition, deleteTransition, setTransition}}
	RouteTableKind = emu.Kind{Name: "vpc/routeTable", Transitions: []emu.Transition{createTransition, deleteTransition}}
)

// Event types of VpcEvent.
const (
	VpcCreated = "created"
	VpcDeleted = "deleted"
)

// VpcEvent tells other services about a VPC created or being deleted.
type VpcEvent struct {
	Type      string
	AccountID string
	Region    string
	VpcNo     string
	VpcName   string
	// Life is the VPC's lifecycle as the change left it: objects that live
	// and die with the VPC start their transition in step with it
	// (Table.BeginLike).
	Life emu.Life
}

// Limits are the account limits createVpc and createSubnet enforce. NCP's
// documented defaults are DefaultLimits; NCP raises them on request, and
// so may a test.
type Limits struct {
	// VpcsPerRegion bounds the VPCs of one account in one region (TERMTING
	// ones count until they are gone).
	VpcsPerRegion int
	// SubnetsPerVpc bounds the subnets of one VPC.
	SubnetsPerVpc int
}

// DefaultLimits are NCP's: three VPCs per account and 200 subnets per VPC,
// as NCP's own course material states them ("계정당 최대 3개의 VPC",
// "VPC당 최대 200개의 Subnet", quoted by public study notes) [?]: the guide
// pages found do not state them.
var DefaultLimits = Limits{VpcsPerRegion: 3, SubnetsPerVpc: 200}

// Service is the VPC emulator. It implements emu.GatewayService and
// emu.Stateful.
type Service struct {
	env emu.Env
	mux *legacyapi.Mux

	store       *emu.Store
	numbers     *emu.Sequence
	vpcs        *emu.Table[vpcRecord]
	subnets     *emu.Table[subnetRecord]
	acls        *emu.Table[aclRecord]
	routeTables *emu.Table[routeTableRecord]
	subnetsOf   *emu.Index[subnetRecord]
	aclsOf      *emu.Index[aclRecord]
	tablesOf    *emu.Index[routeTableRecord]

	// Events publishes VpcCreated and VpcDeleted after they commit.
	Events *emu.Topic[VpcEvent]

	limitsMu sync.Mutex
	limits   Limits
}

var (
	_ emu.GatewayService = (*Service)(nil)
	_ emu.Stateful       = (*Service)(nil)
	_ emu.AccountLister  = (*Service)(nil)
	_ emu.FaultAnswerer  = (*Service)(nil)
)

// New returns an empty VPC emulator using env's clock, async delay,
// transition settings and journal.
func New(env emu.Env) *Service {
	s := &Service{env: env, Events: emu.NewTopic[VpcEvent]("vpc.vpc"), limits: DefaultLimits}
	s.store = emu.NewStore(env, ServiceName)
	s.numbers = s.store.Sequence("no", firstNo)
	s.vpcs = emu.NewTable(s.store, "vpcs",
		emu.WithLife(VpcKind, func(r *vpcRecord) *emu.Life { return &r.Life }),
		emu.WithNumbers[vpcRecord](s.numbers), emu.WithCheck(checkVpc))
	s.subnets = emu.NewTable(s.store, "subnets",
		emu.WithLife(SubnetKind, func(r *subnetRecord) *emu.Life { return &r.Life }),
		emu.WithNumbers[subnetRecord](s.numbers), emu.WithCheck(checkSubnet))
	s.acls = emu.NewTable(s.store, "networkAcls",
		emu.WithLife(NetworkAclKind, func(r *aclRecord) *emu.Life { return &r.Life }),
		emu.WithNumbers[aclRecord](s.numbers), emu.WithCheck(func(_, id string, r *aclRecord) error { return checkNo(id, r.No) }))
	s.routeTables = emu.NewTable(s.store, "routeTables",
		emu.WithLife(RouteTableKind, func(r *routeTableRecord) *emu.Life { return &r.Life }),
		emu.WithNumbers[routeTableRecord](s.numbers), emu.WithCheck(checkRouteTable))
	s.subnetsOf = emu.NewIndex(s.subnets, func(r *subnetRecord) string { return r.VpcNo })
	s.aclsOf = emu.NewIndex(s.acls, func(r *aclRecord) string { return r.VpcNo })
	s.tablesOf = emu.NewIndex(s.routeTables, func(r *routeTableRecord) string { return r.VpcNo })
	s.store.Check(s.checkReferences)

	s.mux = &legacyapi.Mux{
		Service:       ServiceName,
		Prefix:        wire.PathPrefix,
		DefaultRegion: DefaultRegion,
		KnownRegion:   KnownRegion,
		Actions: map[string]legacyapi.Action{
			wire.ActionCreateVpc:           {Handle: s.createVpc},
			wire.ActionGetVpcDetail:        {Handle: s.getVpcDetail},
			wire.ActionGetVpcList:          {Handle: s.getVpcList},
			wire.ActionDeleteVpc:           {Handle: s.deleteVpc},
			wire.ActionCreateSubnet:        {Handle: s.createSubnet},
			wire.ActionGetSubnetDetail:     {Handle: s.getSubnetDetail},
			wire.ActionGetSubnetList:       {Handle: s.getSubnetList},
			wire.ActionDeleteSubnet:        {Handle: s.deleteSubnet},
			wire.ActionGetNetworkAclList:   {Handle: s.getNetworkAclList},
			wire.ActionCreateNetworkAcl:    {Handle: s.createNetworkAcl},
			wire.ActionDeleteNetworkAcl:    {Handle: s.deleteNetworkAcl},
			wire.ActionSetSubnetNetworkAcl: {Handle: s.setSubnetNetworkAcl},
			wire.ActionGetRouteTableList:   {Handle: s.getRouteTableList},
		},
	}
	return s
}

// Name implements emu.Service.
func (s *Service) Name() string { return ServiceName }

// PathPrefixes implements emu.GatewayService.
func (s *Service) PathPrefixes() []string { return []string{wire.PathPrefix} }

// ServeHTTP implements http.Handler for every path under /vpc/v2/.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// FaultAnswers implements emu.FaultAnswerer: the two "please try again"
// codes the official provider retries (ncp-api.md §5.5). Their message
// texts are [?].
func (s *Service) FaultAnswers() []emu.FaultAnswer {
	return []emu.FaultAnswer{
		legacyapi.FaultAnswer(wire.CodeRetryLater, "Please try again later."),
		legacyapi.FaultAnswer(wire.CodeRetryLaterLegacy, "Please try again later."),
	}
}

// Store implements emu.Stateful.
func (s *Service) Store() *emu.Store { return s.store }

// Reset implements emu.Service: it drops every object of every account.
// Object numbers keep counting up.
func (s *Service) Reset() { s.store.Reset() }

// Accounts implements emu.AccountLister: the IDs of every account holding
// state, sorted, so that accounts restored from a data dir show in the
// server's inventory even when no configured credential names them.
func (s *Service) Accounts() []string { return s.store.Accounts() }

// SetLimits replaces the account limits for the calls that follow.
func (s *Service) SetLimits(l Limits) {
	s.limitsMu.Lock()
	defer s.limitsMu.Unlock()
	s.limits = l
}

func (s *Service) currentLimits() Limits {
	s.limitsMu.Lock()
	defer s.limitsMu.Unlock()
	return s.limits
}

// Inventory is the listing Inventory returns for one account: every object
// with its current status, in number order.
type Inventory struct {
	Vpcs        []wire.Vpc        `json:"vpcs"`
	Subnets     []wire.Subnet     `json:"subnets"`
	NetworkAcls []wire.NetworkAcl `json:"networkAcls"`
	RouteTables []wire.RouteTable `json:"routeTables"`
}

// Inventory implements emu.Service. It returns an Inventory, or nil when
// the account owns nothing.
func (s *Service) Inventory(accountID string) any {
	var inv Inventory
	_ = s.store.View(func(tx *emu.Tx) error {
		inv = Inventory{
			Vpcs:        wireList(tx, s.vpcs, s.vpcs.List(tx, accountID), (*vpcRecord).wire, nil),
			Subnets:     wireList(tx, s.subnets, s.subnets.List(tx, accountID), (*subnetRecord).wire, nil),
			NetworkAcls: wireList(tx, s.acls, s.acls.List(tx, accountID), (*aclRecord).wire, nil),
			RouteTables: wireList(tx, s.routeTables, s.routeTables.List(tx, accountID), (*routeTableRecord).wire, nil),
		}
		return nil
	})
	if len(inv.Vpcs)+len(inv.Subnets)+len(inv.NetworkAcls)+len(inv.RouteTables) == 0 {
		return nil
	}
	return inv
}

// VpcInfo is what other services may learn about a VPC.
type VpcInfo struct {
	AccountID string
	No        string
	Name      string
	Region    string
	Life      emu.Life
}

// Vpcs returns every VPC of every account that exists now (TERMTING ones
// included), for services that keep facts derived from VPCs
// (emu.Reconciler).
func (s *Service) Vpcs() []VpcInfo {
	var out []VpcInfo
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, a := range tx.Accounts() {
			for _, v := range s.vpcs.List(tx, a) {
				out = append(out, VpcInfo{AccountID: a, No: v.No, Name: v.Name, Region: v.Region, Life: v.Life})
			}
		}
		return nil
	})
	return out
}

// checkNo checks that a record is stored under its own number.
func checkNo(id, no string) error {
	if id != no {
		return fmt.Errorf("stored under %q but numbered %q", id, no)
	}
	return nil
}

func checkVpc(_, id string, v *vpcRecord) error {
	if err := checkNo(id, v.No); err != nil {
		return err
	}
	if v.Name == "" || !KnownRegion(v.Region) {
		return errors.New("no name or an unknown region")
	}
	if _, e := parseBlock(wire.ParamIpv4CidrBlock, v.Cidr); e != nil {
		return errors.New(e.Message)
	}
	return nil
}

func checkSubnet(_, id string, sn *subnetRecord) error {
	if err := checkNo(id, sn.No); err != nil {
		return err
	}
	if subnetTypeNames[sn.Type] == "" || usageTypeNames[sn.Usage] == "" {
		return fmt.Errorf("unknown type %q or usage %q", sn.Type, sn.Usage)
	}
	if _, e := parseBlock(wire.ParamSubnet, sn.Cidr); e != nil {
		return errors.New(e.Message)
	}
	return nil
}

func checkRouteTable(_, id string, rt *routeTableRecord) error {
	if err := checkNo(id, rt.No); err != nil {
		return err
	}
	if subnetTypeNames[rt.SubnetType] == "" {
		return fmt.Errorf("unknown subnet type %q", rt.SubnetType)
	}
	return nil
}

// checkReferences checks what records say about each other: subnets, ACLs
// and route tables belong to an existing VPC, a subnet lies inside its
// VPC's block and uses an ACL of that VPC.
func (s *Service) checkReferences(tx *emu.Tx) error {
	for _, a := range tx.Accounts() {
		vpcOf := func(kind, no, vpcNo string) (vpcRecord, error) {
			v, ok := s.vpcs.Get(tx, a, vpcNo)
			if !ok {
				return v, fmt.Errorf("%s %s of account %s belongs to unknown VPC %q", kind, no, a, vpcNo)
			}
			return v, nil
		}
		for _, acl := range s.acls.List(tx, a) {
			if _, err := vpcOf("network ACL", acl.No, acl.VpcNo); err != nil {
				return err
			}
		}
		for _, rt := range s.routeTables.List(tx, a) {
			if _, err := vpcOf("route table", rt.No, rt.VpcNo); err != nil {
				return err
			}
		}
		for _, sn := range s.subnets.List(tx, a) {
			v, err := vpcOf("subnet", sn.No, sn.VpcNo)
			if err != nil {
				return err
			}
			if acl, ok := s.acls.Get(tx, a, sn.NetworkAclNo); !ok || acl.VpcNo != sn.VpcNo {
				return fmt.Errorf("subnet %s uses network ACL %q, which is not of its VPC", sn.No, sn.NetworkAclNo)
			}
			if !contains(netip.MustParsePrefix(v.Cidr), netip.MustParsePrefix(sn.Cidr)) {
				return fmt.Errorf("subnet %s (%s) is outside its VPC's block %s", sn.No, sn.Cidr, v.Cidr)
			}
		}
	}
	return nil
}

// update runs fn in a store transaction for call c; a *legacyapi.Error fn
// returns is the call's answer.
func (s *Service) update(c *legacyapi.Call, fn func(tx *emu.Tx) *legacyapi.Error) *legacyapi.Error {
	var apiErr *legacyapi.Error
	err := s.store.Update(c.Request.Context(), func(tx *emu.Tx) error {
		if apiErr = fn(tx); apiErr != nil {
			return apiErr
		}
		return nil
	})
	if err != nil && apiErr == nil { // not reached: fn's errors are API errors
		return legacyapi.Fail(legacy.CodeUnknown, "%v", err)
	}
	return apiErr
}

// view runs fn in a read-only store transaction.
func (s *Service) view(fn func(tx *emu.Tx)) {
	_ = s.store.View(func(tx *emu.Tx) error {
		fn(tx)
		return nil
	})
}

// publish sends ev once tx commits.
func (s *Service) publish(tx *emu.Tx, ev VpcEvent) { emu.PublishAfterCommit(tx, s.Events, ev) }
