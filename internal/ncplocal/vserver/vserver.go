// Package vserver emulates the parts of the NCP VServer API (/vserver/v2/)
// the provider uses: getRegionList, getZoneList and
// getAccessControlGroupList (ncp-api.md §5.3).
//
// Regions and zones come from the catalog of package wire/vserver (the site
// vpc.Site). Access control groups are kept per account in an emu.Store;
// each VPC's default ACG is created and deleted with its VPC: the service
// follows the VPC emulator's Events and the ACG starts its transitions in
// step with the VPC's. After a restart, Reconcile derives what a crash
// between the two services' commits may have left out.
package vserver

import (
	"context"
	"fmt"
	"net/http"

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
// sequence shared by all accounts and are never reused.
const firstNo = 50000

// statusNames are the codeName values of ACG statuses [?] (the VPC
// emulator's wording).
var statusNames = map[string]string{
	wire.StatusInit:     "init",
	wire.StatusSet:      "set",
	wire.StatusRun:      "run",
	wire.StatusTermting: "terminating",
}

// AcgKind is the lifecycle of ACGs. ACGs have no CREATING status (the guide
// lists INIT, SET, RUN, TERMTING), so an ACG is INIT for its whole creation,
// then RUN; TERMTING while it is deleted.
var AcgKind = emu.Kind{Name: "vserver/accessControlGroup", Transitions: []emu.Transition{
	{Name: "create", Through: []string{wire.StatusInit}, To: wire.StatusRun},
	{Name: "delete", Through: []string{wire.StatusTermting}, To: emu.Gone},
}}

type acgRecord struct {
	No          string   `json:"accessControlGroupNo"`
	Name        string   `json:"accessControlGroupName"`
	Description string   `json:"accessControlGroupDescription"`
	VpcNo       string   `json:"vpcNo"`
	Region      string   `json:"regionCode"`
	IsDefault   bool     `json:"isDefault"`
	Life        emu.Life `json:"life"`
}

func (a *acgRecord) wire(st string) wire.AccessControlGroup {
	return wire.AccessControlGroup{
		AccessControlGroupNo:          a.No,
		AccessControlGroupName:        a.Name,
		IsDefault:                     a.IsDefault,
		VpcNo:                         a.VpcNo,
		AccessControlGroupStatus:      &legacy.CommonCode{Code: st, CodeName: statusNames[st]},
		AccessControlGroupDescription: a.Description,
	}
}

// Service is the VServer emulator. It implements emu.GatewayService,
// emu.Stateful and emu.Reconciler.
type Service struct {
	env  emu.Env
	mux  *legacyapi.Mux
	vpcs *vpc.Service

	store   *emu.Store
	numbers *emu.Sequence
	acgs    *emu.Table[acgRecord]
	acgsOf  *emu.Index[acgRecord]
}

var (
	_ emu.GatewayService = (*Service)(nil)
	_ emu.Stateful       = (*Service)(nil)
	_ emu.AccountLister  = (*Service)(nil)
	_ emu.Reconciler     = (*Service)(nil)
)

// New returns an empty VServer emulator. When vpcs is not nil the service
// follows its events, so that every VPC created there gets its default ACG
// here.
func New(env emu.Env, vpcs *vpc.Service) *Service {
	s := &Service{env: env, vpcs: vpcs}
	s.store = emu.NewStore(env, ServiceName)
	s.numbers = s.store.Sequence("no", firstNo)
	s.acgs = emu.NewTable(s.store, "accessControlGroups",
		emu.WithLife(AcgKind, func(r *acgRecord) *emu.Life { return &r.Life }),
		emu.WithNumbers[acgRecord](s.numbers),
		emu.WithCheck(func(_, id string, acg *acgRecord) error {
			if acg.No != id || acg.Name == "" || acg.VpcNo == "" {
				return fmt.Errorf("ACG %q has no name or VPC, or is stored under the wrong key", id)
			}
			return nil
		}))
	s.acgsOf = emu.NewIndex(s.acgs, func(r *acgRecord) string { return r.VpcNo })
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
		vpcs.Events.Subscribe(s.followVpc)
	}
	return s
}

// Name implements emu.Service.
func (s *Service) Name() string { return ServiceName }

// PathPrefixes implements emu.GatewayService.
func (s *Service) PathPrefixes() []string { return []string{wire.PathPrefix} }

// ServeHTTP implements http.Handler for every path under /vserver/v2/.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Store implements emu.Stateful.
func (s *Service) Store() *emu.Store { return s.store }

// defaultAcgName is the name of a VPC's default ACG, the form seen on real
// accounts [I].
func defaultAcgName(vpcName string) string { return vpcName + "-default-acg" }

// followVpc keeps a VPC's default ACG: created with the VPC, deleted with
// it.
func (s *Service) followVpc(ctx context.Context, ev vpc.VpcEvent) {
	_ = s.store.Update(ctx, func(tx *emu.Tx) error {
		s.follow(tx, vpc.VpcInfo{AccountID: ev.AccountID, No: ev.VpcNo, Name: ev.VpcName, Region: ev.Region, Life: ev.Life})
		return nil
	})
}

// follow brings the ACGs of VPC v in line with it: a default ACG exists,
// and is deleted (in step) when the VPC is being deleted.
func (s *Service) follow(tx *emu.Tx, v vpc.VpcInfo) {
	deleting := v.Life.Op != nil && v.Life.Op.Transition == "delete"
	acgs := s.acgsOf.List(tx, v.AccountID, v.No)
	hasDefault := false
	for _, acg := range acgs {
		hasDefault = hasDefault || acg.IsDefault
		if deleting && (acg.Life.Op == nil || acg.Life.Op.Transition != "delete") {
			s.acgs.BeginLike(tx, &acg, "delete", v.Life)
			s.acgs.Put(tx, v.AccountID, acg.No, acg)
		}
	}
	if hasDefault {
		return
	}
	acg := acgRecord{
		No:          s.numbers.NextString(tx),
		Name:        defaultAcgName(v.Name),
		Description: fmt.Sprintf("VPC [%s] default ACG", v.Name), // [?]
		VpcNo:       v.No,
		Region:      v.Region,
		IsDefault:   true,
	}
	transition := "create"
	if deleting {
		transition = "delete"
	}
	s.acgs.BeginLike(tx, &acg, transition, v.Life)
	s.acgs.Put(tx, v.AccountID, acg.No, acg)
}

// Reconcile implements emu.Reconciler: after a restart, every VPC has its
// default ACG (deleted in step when the VPC is), and no ACG outlives its
// VPC, whatever a crash between the two services' commits left behind.
func (s *Service) Reconcile(ctx context.Context) error {
	if s.vpcs == nil {
		return nil
	}
	vpcs := s.vpcs.Vpcs()
	return s.store.Update(ctx, func(tx *emu.Tx) error {
		exists := map[[2]string]bool{}
		for _, v := range vpcs {
			exists[[2]string{v.AccountID, v.No}] = true
			s.follow(tx, v)
		}
		for _, a := range tx.Accounts() {
			for _, acg := range s.acgs.List(tx, a) {
				if !exists[[2]string{a, acg.VpcNo}] {
					s.acgs.Delete(tx, a, acg.No)
				}
			}
		}
		return nil
	})
}

// Reset implements emu.Service: it drops every ACG of every account. Numbers
// keep counting up.
func (s *Service) Reset() { s.store.Reset() }

// Accounts implements emu.AccountLister: the IDs of every account holding
// state, sorted, so that accounts restored from a data dir show in the
// server's inventory even when no configured credential names them.
func (s *Service) Accounts() []string { return s.store.Accounts() }

// Inventory is the listing Inventory returns for one account.
type Inventory struct {
	AccessControlGroups []wire.AccessControlGroup `json:"accessControlGroups"`
}

// Inventory implements emu.Service. It returns an Inventory, or nil when
// the account owns nothing.
func (s *Service) Inventory(accountID string) any {
	var inv Inventory
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, acg := range s.acgs.List(tx, accountID) {
			inv.AccessControlGroups = append(inv.AccessControlGroups, acg.wire(s.acgs.Status(tx, &acg)))
		}
		return nil
	})
	if len(inv.AccessControlGroups) == 0 {
		return nil
	}
	return inv
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
	list := []wire.AccessControlGroup{}
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, acg := range s.acgsOf.ListOrAll(tx, c.AccountID, vpcNo) {
			w := acg.wire(s.acgs.Status(tx, &acg))
			if acg.Region == c.Region &&
				legacyapi.Listed(nos, acg.No) &&
				legacyapi.Matches(name, acg.Name) &&
				legacyapi.Matches(status, w.AccessControlGroupStatus.Code) {
				list = append(list, w)
			}
		}
		return nil
	})
	return wire.AccessControlGroupListResponse{Response: c.Response(len(list)), AccessControlGroupList: legacyapi.Paginate(list, page)}, nil
}
