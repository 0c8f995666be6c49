// Package vserver emulates the parts of the NCP VServer API (/vserver/v2/)
// the provider uses: getRegionList, getZoneList and
// getAccessControlGroupList (ncp-api.md §5.3).
//
// Regions and zones come from the catalog of package vpc. Access control
// groups are kept per account; each VPC's default ACG is created and deleted
// with its VPC: the service observes the VPC emulator (vpc.Service.Observe)
// and the ACG shares the VPC's progress, so it moves through its statuses in
// step with the VPC.
package vserver

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
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wirevpc "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vserver"
)

// ServiceName is the service's short name ("vserver:getRegionList").
const ServiceName = "vserver"

// firstNo is the number before the first ACG number. Numbers come from one
// counter shared by all accounts and are never reused, not even after Reset.
const firstNo = 50000

// statusNames are the codeName values of ACG statuses [?] (the VPC
// emulator's wording).
var statusNames = map[string]string{
	wire.StatusInit:     "init",
	wire.StatusSet:      "set",
	wire.StatusRun:      "run",
	wire.StatusTermting: "terminating",
}

// lifecycle is an ACG's asynchronous life. ACGs have no CREATING status
// (the guide lists INIT, SET, RUN, TERMTING), so an ACG is INIT for its
// whole creation delay, then RUN; TERMTING once deletion started.
type lifecycle struct {
	Created emu.Progress  `json:"created"`
	Deleted *emu.Progress `json:"deleted,omitempty"`
}

func (l lifecycle) status(now time.Time) string {
	switch {
	case l.Deleted != nil:
		return wire.StatusTermting
	case l.Created.Done(now):
		return wire.StatusRun
	default:
		return wire.StatusInit
	}
}

func (l lifecycle) gone(now time.Time) bool { return l.Deleted != nil && l.Deleted.Done(now) }

type acgRecord struct {
	No          string    `json:"accessControlGroupNo"`
	Name        string    `json:"accessControlGroupName"`
	Description string    `json:"accessControlGroupDescription"`
	VpcNo       string    `json:"vpcNo"`
	IsDefault   bool      `json:"isDefault"`
	Life        lifecycle `json:"lifecycle"`
}

func (a *acgRecord) wire(now time.Time) wire.AccessControlGroup {
	st := a.Life.status(now)
	return wire.AccessControlGroup{
		AccessControlGroupNo:          a.No,
		AccessControlGroupName:        a.Name,
		IsDefault:                     a.IsDefault,
		VpcNo:                         a.VpcNo,
		AccessControlGroupStatus:      &legacy.CommonCode{Code: st, CodeName: statusNames[st]},
		AccessControlGroupDescription: a.Description,
	}
}

// accountState is what one account owns: ACGs keyed by number.
type accountState struct {
	AccessControlGroups map[string]*acgRecord `json:"accessControlGroups"`
}

// Service is the VServer emulator. It implements emu.GatewayService,
// emu.Persistent and vpc.Observer.
type Service struct {
	env emu.Env
	mux *legacyapi.Mux

	mu       sync.Mutex
	lastNo   uint64
	accounts map[string]*accountState
}

var (
	_ emu.GatewayService = (*Service)(nil)
	_ emu.Persistent     = (*Service)(nil)
	_ emu.AccountLister  = (*Service)(nil)
	_ vpc.Observer       = (*Service)(nil)
)

// New returns an empty VServer emulator. When vpcs is not nil the service
// observes it, so that every VPC created there gets its default ACG here.
func New(env emu.Env, vpcs *vpc.Service) *Service {
	s := &Service{env: env, lastNo: firstNo, accounts: map[string]*accountState{}}
	s.mux = &legacyapi.Mux{
		Service:       ServiceName,
		Prefix:        wire.PathPrefix,
		DefaultRegion: vpc.DefaultRegion,
		KnownRegion:   vpc.KnownRegion,
		Actions: map[string]legacyapi.Action{
			// getRegionList takes no regionCode: it is how clients learn
			// the region codes.
			wire.ActionGetRegionList:             {Handle: s.getRegionList, NoRegion: true},
			wire.ActionGetZoneList:               {Handle: s.getZoneList},
			wire.ActionGetAccessControlGroupList: {Handle: s.getAccessControlGroupList},
		},
	}
	if vpcs != nil {
		vpcs.Observe(s)
	}
	return s
}

// Name implements emu.Service.
func (s *Service) Name() string { return ServiceName }

// PathPrefixes implements emu.GatewayService.
func (s *Service) PathPrefixes() []string { return []string{wire.PathPrefix} }

// ServeHTTP implements http.Handler for every path under /vserver/v2/.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// defaultAcgName is the name of a VPC's default ACG, the form seen on real
// accounts [I].
func defaultAcgName(vpcName string) string { return vpcName + "-default-acg" }

// VpcCreated implements vpc.Observer: it creates the VPC's default ACG.
func (s *Service) VpcCreated(ev vpc.VpcEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[ev.AccountID]
	if a == nil {
		a = &accountState{AccessControlGroups: map[string]*acgRecord{}}
		s.accounts[ev.AccountID] = a
	}
	s.lastNo++
	no := strconv.FormatUint(s.lastNo, 10)
	a.AccessControlGroups[no] = &acgRecord{
		No:          no,
		Name:        defaultAcgName(ev.VpcName),
		Description: fmt.Sprintf("VPC [%s] default ACG", ev.VpcName), // [?]
		VpcNo:       ev.VpcNo,
		IsDefault:   true,
		Life:        lifecycle{Created: ev.Progress},
	}
}

// VpcDeleted implements vpc.Observer: the VPC's ACGs are deleted with it.
func (s *Service) VpcDeleted(ev vpc.VpcEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[ev.AccountID]
	if a == nil {
		return
	}
	for _, acg := range a.AccessControlGroups {
		if acg.VpcNo == ev.VpcNo && acg.Life.Deleted == nil {
			del := ev.Progress
			acg.Life.Deleted = &del
		}
	}
}

// Reset implements emu.Service: it drops every ACG of every account. Numbers
// keep counting up.
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

// Inventory is the listing Inventory returns for one account.
type Inventory struct {
	AccessControlGroups []wire.AccessControlGroup `json:"accessControlGroups"`
}

// Inventory implements emu.Service. It returns an Inventory, or nil when
// the account owns nothing.
func (s *Service) Inventory(accountID string) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	acgs := s.acgs(accountID, now)
	if len(acgs) == 0 {
		return nil
	}
	inv := Inventory{AccessControlGroups: make([]wire.AccessControlGroup, 0, len(acgs))}
	for _, acg := range acgs {
		inv.AccessControlGroups = append(inv.AccessControlGroups, acg.wire(now))
	}
	return inv
}

const snapshotVersion = 1

type snapshot struct {
	Version  int                      `json:"version"`
	LastNo   uint64                   `json:"lastNo"`
	Accounts map[string]*accountState `json:"accounts"`
}

// Snapshot implements emu.Persistent.
func (s *Service) Snapshot() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for id := range s.accounts {
		s.acgs(id, now) // sweep finished deletions
	}
	return json.Marshal(snapshot{Version: snapshotVersion, LastNo: s.lastNo, Accounts: s.accounts})
}

// Restore implements emu.Persistent. It replaces the whole state with a
// Snapshot; on any error the state is left unchanged. The number counter
// never goes backwards.
func (s *Service) Restore(data []byte) error {
	var snap snapshot
	if err := emu.DecodeSnapshot(data, &snap); err != nil {
		return fmt.Errorf("vserver: restoring snapshot: %w", err)
	}
	if snap.Version != snapshotVersion {
		return fmt.Errorf("vserver: restoring snapshot: unsupported version %d (want %d)", snap.Version, snapshotVersion)
	}
	var maxNo uint64
	seen := map[string]bool{}
	for id, a := range snap.Accounts {
		if id == "" || a == nil {
			return fmt.Errorf("vserver: restoring snapshot: account %q has no state", id)
		}
		if a.AccessControlGroups == nil {
			a.AccessControlGroups = map[string]*acgRecord{}
		}
		for key, acg := range a.AccessControlGroups {
			if acg == nil || acg.No != key {
				return fmt.Errorf("vserver: restoring snapshot: ACG %q is null or stored under the wrong key", key)
			}
			if !legacyapi.IsNumber(acg.No) || seen[acg.No] {
				return fmt.Errorf("vserver: restoring snapshot: ACG number %q is not a number or is used twice", acg.No)
			}
			seen[acg.No] = true
			if acg.Name == "" || acg.VpcNo == "" {
				return fmt.Errorf("vserver: restoring snapshot: ACG %s has no name or VPC", acg.No)
			}
			if acg.Life.Created.Delay < 0 || (acg.Life.Deleted != nil && acg.Life.Deleted.Delay < 0) {
				return fmt.Errorf("vserver: restoring snapshot: ACG %s has a negative delay", acg.No)
			}
			n, _ := strconv.ParseUint(acg.No, 10, 64)
			maxNo = max(maxNo, n)
		}
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

func (s *Service) now() time.Time { return s.env.Time() }

// acgs sweeps finished deletions of account id and returns its ACGs in
// number order. s.mu must be held.
func (s *Service) acgs(id string, now time.Time) []*acgRecord {
	a := s.accounts[id]
	if a == nil {
		return nil
	}
	for no, acg := range a.AccessControlGroups {
		if acg.Life.gone(now) {
			delete(a.AccessControlGroups, no)
		}
	}
	if len(a.AccessControlGroups) == 0 {
		delete(s.accounts, id)
		return nil
	}
	return legacyapi.SortedByNo(a.AccessControlGroups)
}

// getRegionList lists the regions of the emulated site. The official
// provider calls it at configure time and refuses unknown regions.
func (s *Service) getRegionList(c *legacyapi.Call) (any, *legacyapi.Error) {
	list := []wire.Region{}
	for _, r := range wire.Regions(vpc.Site) {
		list = append(list, wire.Region{RegionCode: r.Code, RegionName: r.Name})
	}
	return wire.RegionListResponse{Response: c.Response(len(list)), RegionList: list}, nil
}

// getZoneList lists the zones of regionCode (default KR).
func (s *Service) getZoneList(c *legacyapi.Call) (any, *legacyapi.Error) {
	r, _ := wire.LookupRegion(vpc.Site, c.Region)
	list := []wire.Zone{}
	for _, z := range r.Zones {
		list = append(list, wire.Zone{ZoneName: z.Name, ZoneCode: z.Code, RegionCode: r.Code, ZoneDescription: z.Description})
	}
	return wire.ZoneListResponse{Response: c.Response(len(list)), ZoneList: list}, nil
}

// getAccessControlGroupList: filters vpcNo, accessControlGroupNoList.N,
// accessControlGroupName, accessControlGroupStatusCode (exact matches);
// pageNo and pageSize.
func (s *Service) getAccessControlGroupList(c *legacyapi.Call) (any, *legacyapi.Error) {
	nos, e := c.NumberList(wire.ParamAccessControlGroupNoList)
	if e != nil {
		return nil, e
	}
	vpcNo, e := c.OptionalNumber(wirevpc.ParamVpcNo)
	if e != nil {
		return nil, e
	}
	status, e := c.Enum(wire.ParamAccessControlGroupStatusCode, wire.StatusInit, wire.StatusSet, wire.StatusRun, wire.StatusTermting)
	if e != nil {
		return nil, e
	}
	name := c.Get(wire.ParamAccessControlGroupName)
	page, e := c.Page()
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	list := []wire.AccessControlGroup{}
	for _, acg := range s.acgs(c.AccountID, now) {
		w := acg.wire(now)
		if legacyapi.Listed(nos, acg.No) &&
			legacyapi.Matches(vpcNo, acg.VpcNo) &&
			legacyapi.Matches(name, acg.Name) &&
			legacyapi.Matches(status, w.AccessControlGroupStatus.Code) {
			list = append(list, w)
		}
	}
	return wire.AccessControlGroupListResponse{Response: c.Response(len(list)), AccessControlGroupList: legacyapi.Paginate(list, page)}, nil
}
