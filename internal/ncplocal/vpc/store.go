package vpc

import (
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/legacyapi"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// kst is the zone NCP writes createDate in ("2017-02-23T10:25:39+0900").
var kst = time.FixedZone("KST", 9*60*60)

// dateLayout is NCP's createDate layout.
const dateLayout = "2006-01-02T15:04:05-0700"

func formatDate(t time.Time) string { return t.In(kst).Format(dateLayout) }

// statusNames are the codeName values of the status codes. The guide's
// examples show "init" and "run" (DOC createVpc, getSubnetDetail, English
// edition); the other names follow the same pattern [?]. The ncloud CLI
// shows Korean names ("운영중") when the console language is Korean; ncplocal
// always answers in English.
var statusNames = map[string]string{
	wire.StatusInit:     "init",
	wire.StatusCreating: "creating",
	wire.StatusRun:      "run",
	wire.StatusSet:      "set",
	wire.StatusTermting: "terminating",
}

// subnetTypeNames are the codeName values of subnet types ("Public" is in
// the getSubnetDetail example; "Private" follows it).
var subnetTypeNames = map[string]string{
	wire.SubnetTypePublic:  "Public",
	wire.SubnetTypePrivate: "Private",
}

// usageTypeNames are the codeName values of subnet usage types. "General" is
// in the getSubnetDetail example; the others are [?], worded after the
// guide's descriptions.
var usageTypeNames = map[string]string{
	wire.UsageTypeGen:   "General",
	wire.UsageTypeLoadB: "Load Balancer only",
	wire.UsageTypeBM:    "BareMetal only",
	wire.UsageTypeNatGW: "NAT Gateway only",
}

func code(names map[string]string, c string) *legacy.CommonCode {
	return &legacy.CommonCode{Code: c, CodeName: names[c]}
}

// lifecycle is the asynchronous life of an object: created, then possibly
// being deleted. Statuses are computed at read time from the progress
// values, so a changed async delay only affects objects created or deleted
// afterwards.
type lifecycle struct {
	Created emu.Progress  `json:"created"`
	Deleted *emu.Progress `json:"deleted,omitempty"`
}

// status returns the status at now: INIT for the first half of the creation
// delay, CREATING for the second, then RUN; TERMTING once deletion started.
func (l lifecycle) status(now time.Time) string {
	switch {
	case l.Deleted != nil:
		return wire.StatusTermting
	case l.Created.Done(now):
		return wire.StatusRun
	case l.Created.Half(now):
		return wire.StatusCreating
	default:
		return wire.StatusInit
	}
}

// gone reports whether the object's deletion has finished at now.
func (l lifecycle) gone(now time.Time) bool {
	return l.Deleted != nil && l.Deleted.Done(now)
}

type vpcRecord struct {
	No         string    `json:"vpcNo"`
	Name       string    `json:"vpcName"`
	Cidr       string    `json:"ipv4CidrBlock"`
	Region     string    `json:"regionCode"`
	CreateDate time.Time `json:"createDate"`
	Life       lifecycle `json:"lifecycle"`
}

func (v *vpcRecord) wire(now time.Time) wire.Vpc {
	return wire.Vpc{
		VpcNo:         v.No,
		VpcName:       v.Name,
		Ipv4CidrBlock: v.Cidr,
		VpcStatus:     code(statusNames, v.Life.status(now)),
		RegionCode:    v.Region,
		CreateDate:    formatDate(v.CreateDate),
	}
}

type subnetRecord struct {
	No           string    `json:"subnetNo"`
	VpcNo        string    `json:"vpcNo"`
	Zone         string    `json:"zoneCode"`
	Name         string    `json:"subnetName"`
	Cidr         string    `json:"subnet"`
	Type         string    `json:"subnetTypeCode"`
	Usage        string    `json:"usageTypeCode"`
	NetworkAclNo string    `json:"networkAclNo"`
	CreateDate   time.Time `json:"createDate"`
	Life         lifecycle `json:"lifecycle"`
}

func (s *subnetRecord) wire(now time.Time) wire.Subnet {
	return wire.Subnet{
		SubnetNo:     s.No,
		VpcNo:        s.VpcNo,
		ZoneCode:     s.Zone,
		SubnetName:   s.Name,
		Subnet:       s.Cidr,
		SubnetStatus: code(statusNames, s.Life.status(now)),
		CreateDate:   formatDate(s.CreateDate),
		SubnetType:   code(subnetTypeNames, s.Type),
		UsageType:    code(usageTypeNames, s.Usage),
		NetworkAclNo: s.NetworkAclNo,
	}
}

type aclRecord struct {
	No          string    `json:"networkAclNo"`
	VpcNo       string    `json:"vpcNo"`
	Name        string    `json:"networkAclName"`
	Description string    `json:"networkAclDescription"`
	IsDefault   bool      `json:"isDefault"`
	CreateDate  time.Time `json:"createDate"`
	Life        lifecycle `json:"lifecycle"`
}

func (a *aclRecord) wire(now time.Time) wire.NetworkAcl {
	return wire.NetworkAcl{
		NetworkAclNo:          a.No,
		NetworkAclName:        a.Name,
		VpcNo:                 a.VpcNo,
		NetworkAclStatus:      code(statusNames, a.Life.status(now)),
		NetworkAclDescription: a.Description,
		CreateDate:            formatDate(a.CreateDate),
		IsDefault:             a.IsDefault,
	}
}

type routeTableRecord struct {
	No          string    `json:"routeTableNo"`
	VpcNo       string    `json:"vpcNo"`
	Name        string    `json:"routeTableName"`
	Description string    `json:"routeTableDescription"`
	Region      string    `json:"regionCode"`
	SubnetType  string    `json:"supportedSubnetTypeCode"`
	IsDefault   bool      `json:"isDefault"`
	Life        lifecycle `json:"lifecycle"`
}

func (r *routeTableRecord) wire(now time.Time) wire.RouteTable {
	return wire.RouteTable{
		RouteTableNo:          r.No,
		RouteTableName:        r.Name,
		RegionCode:            r.Region,
		VpcNo:                 r.VpcNo,
		SupportedSubnetType:   code(subnetTypeNames, r.SubnetType),
		IsDefault:             r.IsDefault,
		RouteTableStatus:      code(statusNames, r.Life.status(now)),
		RouteTableDescription: r.Description,
	}
}

// accountState is everything one account owns. Maps are keyed by object
// number.
type accountState struct {
	Vpcs        map[string]*vpcRecord        `json:"vpcs"`
	Subnets     map[string]*subnetRecord     `json:"subnets"`
	NetworkAcls map[string]*aclRecord        `json:"networkAcls"`
	RouteTables map[string]*routeTableRecord `json:"routeTables"`
}

func newAccountState() *accountState {
	a := &accountState{}
	a.fill()
	return a
}

// fill gives every object map of a that is nil (a state decoded from a
// snapshot that lacks it) an empty one.
func (a *accountState) fill() {
	fillMap(&a.Vpcs)
	fillMap(&a.Subnets)
	fillMap(&a.NetworkAcls)
	fillMap(&a.RouteTables)
}

func fillMap[R any](m *map[string]*R) {
	if *m == nil {
		*m = map[string]*R{}
	}
}

func (a *accountState) empty() bool {
	return len(a.Vpcs) == 0 && len(a.Subnets) == 0 && len(a.NetworkAcls) == 0 && len(a.RouteTables) == 0
}

// sweep drops the objects whose deletion has finished at now.
func (a *accountState) sweep(now time.Time) {
	sweepMap(a.Vpcs, now, func(v *vpcRecord) lifecycle { return v.Life })
	sweepMap(a.Subnets, now, func(sn *subnetRecord) lifecycle { return sn.Life })
	sweepMap(a.NetworkAcls, now, func(acl *aclRecord) lifecycle { return acl.Life })
	sweepMap(a.RouteTables, now, func(rt *routeTableRecord) lifecycle { return rt.Life })
}

// sweepMap drops the objects of m whose deletion has finished at now.
func sweepMap[R any](m map[string]*R, now time.Time, life func(*R) lifecycle) {
	for no, r := range m {
		if life(r).gone(now) {
			delete(m, no)
		}
	}
}

// subnetsOf returns the subnets of VPC vpcNo in number order.
func (a *accountState) subnetsOf(vpcNo string) []*subnetRecord {
	var out []*subnetRecord
	for _, s := range legacyapi.SortedByNo(a.Subnets) {
		if s.VpcNo == vpcNo {
			out = append(out, s)
		}
	}
	return out
}

// wireList returns the wire form at now of the objects of m in number
// order, keeping those keep accepts (every one when keep is nil). The list
// is never nil: an empty one is encoded as an empty list.
func wireList[R, W any](m map[string]*R, now time.Time, toWire func(*R, time.Time) W, keep func(*R, W) bool) []W {
	out := []W{}
	for _, r := range legacyapi.SortedByNo(m) {
		if w := toWire(r, now); keep == nil || keep(r, w) {
			out = append(out, w)
		}
	}
	return out
}

// detailList returns the wire form at now of m[no] as a list of one, or an
// empty list when there is no such object: getXxxDetail answers an unknown
// number with an empty list, not an error (ncp-api.md §5.4).
func detailList[R, W any](m map[string]*R, no string, now time.Time, toWire func(*R, time.Time) W) []W {
	out := []W{}
	if r := m[no]; r != nil {
		out = append(out, toWire(r, now))
	}
	return out
}
