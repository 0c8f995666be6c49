// Package vpc emulates the NCP VPC API (/vpc/v2/, ncp-api.md §5): VPCs,
// subnets, and the default network ACL and route tables every VPC gets.
//
// State is kept per account and guarded by one mutex. Statuses move
// INIT → CREATING → RUN and TERMTING → gone with the async delay in force
// when the operation started (emu.Progress); they are computed at read time
// and finished deletions are swept on the next access.
//
// Other emulated services follow VPC lifecycles through Observe: the VServer
// emulator keeps each VPC's default access control group that way.
package vpc

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/legacyapi"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// ServiceName is the service's short name, used in inventory and operation
// names ("vpc:createVpc").
const ServiceName = "vpc"

// firstNo is the number before the first object number the service hands
// out. Numbers come from one counter shared by all accounts and object kinds,
// so they never collide; they are never reused, not even after Reset, so a
// stale client state can never address a newer object.
const firstNo = 10000

// VpcEvent tells an Observer about a VPC lifecycle change.
type VpcEvent struct {
	AccountID string
	VpcNo     string
	VpcName   string
	// Progress is the transition that starts: the creation for VpcCreated,
	// the deletion for VpcDeleted. Objects that live and die with the VPC
	// use the same progress, so they move through their statuses in step.
	Progress emu.Progress
}

// Observer follows VPC lifecycles. Its methods are called with the VPC
// service's lock held, after the change is recorded: they must be quick and
// must not call back into the VPC service (lock order: vpc, then observer).
type Observer interface {
	VpcCreated(ev VpcEvent)
	VpcDeleted(ev VpcEvent)
}

// Service is the VPC emulator. It implements emu.GatewayService and
// emu.Persistent.
type Service struct {
	env emu.Env
	mux *legacyapi.Mux

	mu        sync.Mutex
	lastNo    uint64
	accounts  map[string]*accountState
	observers []Observer
}

var (
	_ emu.GatewayService = (*Service)(nil)
	_ emu.Persistent     = (*Service)(nil)
	_ emu.AccountLister  = (*Service)(nil)
)

// New returns an empty VPC emulator using env's clock and async delay.
func New(env emu.Env) *Service {
	s := &Service{env: env, lastNo: firstNo, accounts: map[string]*accountState{}}
	s.mux = &legacyapi.Mux{
		Service:       ServiceName,
		Prefix:        wire.PathPrefix,
		DefaultRegion: DefaultRegion,
		KnownRegion:   KnownRegion,
		Actions: map[string]legacyapi.Action{
			wire.ActionCreateVpc:         {Handle: s.createVpc},
			wire.ActionGetVpcDetail:      {Handle: s.getVpcDetail},
			wire.ActionGetVpcList:        {Handle: s.getVpcList},
			wire.ActionDeleteVpc:         {Handle: s.deleteVpc},
			wire.ActionCreateSubnet:      {Handle: s.createSubnet},
			wire.ActionGetSubnetDetail:   {Handle: s.getSubnetDetail},
			wire.ActionGetSubnetList:     {Handle: s.getSubnetList},
			wire.ActionDeleteSubnet:      {Handle: s.deleteSubnet},
			wire.ActionGetNetworkAclList: {Handle: s.getNetworkAclList},
			wire.ActionGetRouteTableList: {Handle: s.getRouteTableList},
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

// Observe registers o to be told about every VPC created or deleted from now
// on.
func (s *Service) Observe(o Observer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.observers = append(s.observers, o)
}

// Reset implements emu.Service: it drops every object of every account.
// Object numbers keep counting up.
func (s *Service) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts = map[string]*accountState{}
}

// Accounts implements emu.AccountLister: the IDs of every account holding
// state, sorted, so that accounts restored from a data dir show in the
// server's inventory even when no configured credential names them.
func (s *Service) Accounts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.accounts))
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
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	a := s.account(accountID, now, false)
	if a == nil {
		return nil
	}
	inv := Inventory{
		Vpcs:        wireList(a.Vpcs, now, (*vpcRecord).wire, nil),
		Subnets:     wireList(a.Subnets, now, (*subnetRecord).wire, nil),
		NetworkAcls: wireList(a.NetworkAcls, now, (*aclRecord).wire, nil),
		RouteTables: wireList(a.RouteTables, now, (*routeTableRecord).wire, nil),
	}
	return inv
}

// snapshotVersion is the format version of Snapshot.
const snapshotVersion = 1

type snapshot struct {
	Version  int                      `json:"version"`
	LastNo   uint64                   `json:"lastNo"`
	Accounts map[string]*accountState `json:"accounts"`
}

// Snapshot implements emu.Persistent: the whole state as JSON. Objects keep
// their progress values, so a VPC saved while CREATING is RUN when restored
// after its delay.
func (s *Service) Snapshot() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for id := range s.accounts {
		s.account(id, now, false) // sweep finished deletions
	}
	return json.Marshal(snapshot{Version: snapshotVersion, LastNo: s.lastNo, Accounts: s.accounts})
}

// Restore implements emu.Persistent. It replaces the whole state with a
// Snapshot; on any error (bad JSON, unknown version, inconsistent objects)
// the state is left unchanged. The number counter never goes backwards.
func (s *Service) Restore(data []byte) error {
	var snap snapshot
	if err := emu.DecodeSnapshot(data, &snap); err != nil {
		return fmt.Errorf("vpc: restoring snapshot: %w", err)
	}
	if snap.Version != snapshotVersion {
		return fmt.Errorf("vpc: restoring snapshot: unsupported version %d (want %d)", snap.Version, snapshotVersion)
	}
	maxNo, err := checkSnapshot(&snap)
	if err != nil {
		return fmt.Errorf("vpc: restoring snapshot: %w", err)
	}
	if snap.Accounts == nil {
		snap.Accounts = map[string]*accountState{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts = snap.Accounts
	s.lastNo = max(s.lastNo, snap.LastNo, maxNo)
	return nil
}

// checkSnapshot validates a decoded snapshot and returns the largest object
// number in it.
func checkSnapshot(snap *snapshot) (uint64, error) {
	var maxNo uint64
	seen := map[string]bool{}
	use := func(kind, key, no string) error {
		if key != no {
			return fmt.Errorf("%s %q is stored under key %q", kind, no, key)
		}
		if !legacyapi.IsNumber(no) {
			return fmt.Errorf("%s number %q is not a number", kind, no)
		}
		if seen[no] {
			return fmt.Errorf("object number %s is used twice", no)
		}
		seen[no] = true
		n, _ := strconv.ParseUint(no, 10, 64)
		maxNo = max(maxNo, n)
		return nil
	}
	checkLife := func(kind, no string, l lifecycle) error {
		if l.Created.Delay < 0 || (l.Deleted != nil && l.Deleted.Delay < 0) {
			return fmt.Errorf("%s %s has a negative delay", kind, no)
		}
		return nil
	}
	for id, a := range snap.Accounts {
		if id == "" || a == nil {
			return 0, fmt.Errorf("account %q has no state", id)
		}
		a.fill()
		for key, v := range a.Vpcs {
			if v == nil {
				return 0, fmt.Errorf("vpc %q is null", key)
			}
			if err := use("vpc", key, v.No); err != nil {
				return 0, err
			}
			if v.Name == "" || !KnownRegion(v.Region) {
				return 0, fmt.Errorf("vpc %s has no name or an unknown region", v.No)
			}
			if _, e := parseBlock("ipv4CidrBlock", v.Cidr); e != nil {
				return 0, fmt.Errorf("vpc %s: %s", v.No, e.Message)
			}
			if err := checkLife("vpc", v.No, v.Life); err != nil {
				return 0, err
			}
		}
		for key, acl := range a.NetworkAcls {
			if acl == nil {
				return 0, fmt.Errorf("network ACL %q is null", key)
			}
			if err := use("network ACL", key, acl.No); err != nil {
				return 0, err
			}
			if a.Vpcs[acl.VpcNo] == nil {
				return 0, fmt.Errorf("network ACL %s belongs to unknown VPC %q", acl.No, acl.VpcNo)
			}
			if err := checkLife("network ACL", acl.No, acl.Life); err != nil {
				return 0, err
			}
		}
		for key, rt := range a.RouteTables {
			if rt == nil {
				return 0, fmt.Errorf("route table %q is null", key)
			}
			if err := use("route table", key, rt.No); err != nil {
				return 0, err
			}
			if a.Vpcs[rt.VpcNo] == nil {
				return 0, fmt.Errorf("route table %s belongs to unknown VPC %q", rt.No, rt.VpcNo)
			}
			if subnetTypeNames[rt.SubnetType] == "" {
				return 0, fmt.Errorf("route table %s has unknown subnet type %q", rt.No, rt.SubnetType)
			}
			if err := checkLife("route table", rt.No, rt.Life); err != nil {
				return 0, err
			}
		}
		for key, sn := range a.Subnets {
			if sn == nil {
				return 0, fmt.Errorf("subnet %q is null", key)
			}
			if err := use("subnet", key, sn.No); err != nil {
				return 0, err
			}
			v := a.Vpcs[sn.VpcNo]
			if v == nil {
				return 0, fmt.Errorf("subnet %s belongs to unknown VPC %q", sn.No, sn.VpcNo)
			}
			if acl := a.NetworkAcls[sn.NetworkAclNo]; acl == nil || acl.VpcNo != sn.VpcNo {
				return 0, fmt.Errorf("subnet %s uses network ACL %q, which is not of its VPC", sn.No, sn.NetworkAclNo)
			}
			if subnetTypeNames[sn.Type] == "" || usageTypeNames[sn.Usage] == "" {
				return 0, fmt.Errorf("subnet %s has unknown type %q or usage %q", sn.No, sn.Type, sn.Usage)
			}
			p, e := parseBlock("subnet", sn.Cidr)
			if e != nil {
				return 0, fmt.Errorf("subnet %s: %s", sn.No, e.Message)
			}
			if vp, _ := parseBlock("ipv4CidrBlock", v.Cidr); !contains(vp, p) {
				return 0, fmt.Errorf("subnet %s (%s) is outside its VPC %s", sn.No, sn.Cidr, v.Cidr)
			}
			if err := checkLife("subnet", sn.No, sn.Life); err != nil {
				return 0, err
			}
		}
	}
	return maxNo, nil
}

// now returns the service clock's time.
func (s *Service) now() time.Time { return s.env.Time() }

// start returns the progress of an asynchronous transition starting at now,
// with the async delay in force.
func (s *Service) start(now time.Time) emu.Progress {
	return emu.Progress{Start: now, Delay: s.env.Delay()}
}

// nextNo hands out the next object number. s.mu must be held.
func (s *Service) nextNo() string {
	s.lastNo++
	return strconv.FormatUint(s.lastNo, 10)
}

// account returns the state of account id after sweeping finished
// deletions, creating it when create is set; nil when the account owns
// nothing and create is not set. s.mu must be held.
func (s *Service) account(id string, now time.Time, create bool) *accountState {
	a := s.accounts[id]
	if a != nil {
		a.sweep(now)
		if a.empty() && !create {
			delete(s.accounts, id)
			return nil
		}
	}
	if a == nil && create {
		a = newAccountState()
		s.accounts[id] = a
	}
	return a
}

// readAccount is account for a call that only reads, or changes existing
// objects: an account that owns nothing reads as an empty state, which is
// not stored. s.mu must be held.
func (s *Service) readAccount(id string, now time.Time) *accountState {
	if a := s.account(id, now, false); a != nil {
		return a
	}
	return &accountState{}
}
