package vpc

import (
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/legacyapi"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// dateLayout is NCP's createDate layout ("2017-02-23T10:25:39+0900", in
// KST).
const dateLayout = "2006-01-02T15:04:05-0700"

func formatDate(t time.Time) string { return t.In(emu.KST).Format(dateLayout) }

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
	wire.StatusTermt:    "terminate", // deleteNetworkAcl's answer (the guide's example)
	errorStatus:         "error",
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

type vpcRecord struct {
	No         string    `json:"vpcNo"`
	Name       string    `json:"vpcName"`
	Cidr       string    `json:"ipv4CidrBlock"`
	Region     string    `json:"regionCode"`
	CreateDate time.Time `json:"createDate"`
	Life       emu.Life  `json:"life"`
}

func (v *vpcRecord) wire(status string) wire.Vpc {
	return wire.Vpc{
		VpcNo:         v.No,
		VpcName:       v.Name,
		Ipv4CidrBlock: v.Cidr,
		VpcStatus:     code(statusNames, status),
		RegionCode:    v.Region,
		CreateDate:    formatDate(v.CreateDate),
	}
}

type subnetRecord struct {
	No           string    `json:"subnetNo"`
	VpcNo        string    `json:"vpcNo"`
	Region       string    `json:"regionCode"`
	Zone         string    `json:"zoneCode"`
	Name         string    `json:"subnetName"`
	Cidr         string    `json:"subnet"`
	Type         string    `json:"subnetTypeCode"`
	Usage        string    `json:"usageTypeCode"`
	NetworkAclNo string    `json:"networkAclNo"`
	CreateDate   time.Time `json:"createDate"`
	Life         emu.Life  `json:"life"`
}

func (s *subnetRecord) wire(status string) wire.Subnet {
	return wire.Subnet{
		SubnetNo:     s.No,
		VpcNo:        s.VpcNo,
		ZoneCode:     s.Zone,
		SubnetName:   s.Name,
		Subnet:       s.Cidr,
		SubnetStatus: code(statusNames, status),
		CreateDate:   formatDate(s.CreateDate),
		SubnetType:   code(subnetTypeNames, s.Type),
		UsageType:    code(usageTypeNames, s.Usage),
		NetworkAclNo: s.NetworkAclNo,
	}
}

type aclRecord struct {
	No          string    `json:"networkAclNo"`
	VpcNo       string    `json:"vpcNo"`
	Region      string    `json:"regionCode"`
	Name        string    `json:"networkAclName"`
	Description string    `json:"networkAclDescription"`
	IsDefault   bool      `json:"isDefault"`
	CreateDate  time.Time `json:"createDate"`
	Life        emu.Life  `json:"life"`
}

func (a *aclRecord) wire(status string) wire.NetworkAcl {
	return wire.NetworkAcl{
		NetworkAclNo:          a.No,
		NetworkAclName:        a.Name,
		VpcNo:                 a.VpcNo,
		NetworkAclStatus:      code(statusNames, status),
		NetworkAclDescription: a.Description,
		CreateDate:            formatDate(a.CreateDate),
		IsDefault:             a.IsDefault,
	}
}

type routeTableRecord struct {
	No          string   `json:"routeTableNo"`
	VpcNo       string   `json:"vpcNo"`
	Name        string   `json:"routeTableName"`
	Description string   `json:"routeTableDescription"`
	Region      string   `json:"regionCode"`
	SubnetType  string   `json:"supportedSubnetTypeCode"`
	IsDefault   bool     `json:"isDefault"`
	Life        emu.Life `json:"life"`
}

func (r *routeTableRecord) wire(status string) wire.RouteTable {
	return wire.RouteTable{
		RouteTableNo:          r.No,
		RouteTableName:        r.Name,
		RegionCode:            r.Region,
		VpcNo:                 r.VpcNo,
		SupportedSubnetType:   code(subnetTypeNames, r.SubnetType),
		IsDefault:             r.IsDefault,
		RouteTableStatus:      code(statusNames, status),
		RouteTableDescription: r.Description,
	}
}

// wireList returns the wire form of recs (in the order given), keeping
// those keep accepts (every one when keep is nil). The list is never nil:
// an empty one is encoded as an empty list.
func wireList[R, W any](tx *emu.Tx, t *emu.Table[R], recs []R, toWire func(*R, string) W, keep func(*R, W) bool) []W {
	out := []W{}
	for i := range recs {
		r := &recs[i]
		if w := toWire(r, t.Status(tx, r)); keep == nil || keep(r, w) {
			out = append(out, w)
		}
	}
	return out
}

// inRegion returns the records of recs in region.
func inRegion[R any](recs []R, region string, regionOf func(*R) string) []R {
	out := recs[:0:0]
	for i := range recs {
		if regionOf(&recs[i]) == region {
			out = append(out, recs[i])
		}
	}
	return out
}

// detailList returns the wire form of record no of account in region as a
// list of one, or an empty list when there is no such object: getXxxDetail
// answers an unknown number with an empty list, not an error (ncp-api.md
// §5.4).
func detailList[R, W any](tx *emu.Tx, t *emu.Table[R], account, no, region string, regionOf func(*R) string, toWire func(*R, string) W) []W {
	out := []W{}
	if r, ok := t.Get(tx, account, no); ok && regionOf(&r) == region {
		out = append(out, toWire(&r, t.Status(tx, &r)))
	}
	return out
}

// owned returns record no of the caller's account in the call's region, or
// a CodeNotFound error naming what ("VPC") and param ("vpcNo").
func owned[R any](tx *emu.Tx, t *emu.Table[R], c *legacyapi.Call, no, what, param string, regionOf func(*R) string) (R, *legacyapi.Error) {
	r, ok := t.Get(tx, c.AccountID, no)
	if !ok || regionOf(&r) != c.Region {
		var zero R
		return zero, legacyapi.Fail(wire.CodeNotFound, "%s %s (%s) does not exist in this account", what, no, param)
	}
	return r, nil
}

// ownedRun is owned for an object that must be RUN; why completes the
// message otherwise ("only a VPC in RUN status can be deleted").
func ownedRun[R any](tx *emu.Tx, t *emu.Table[R], c *legacyapi.Call, no, what, param string, regionOf func(*R) string, why string) (R, *legacyapi.Error) {
	r, e := owned(tx, t, c, no, what, param, regionOf)
	if e == nil {
		e = mustRun(tx, t, &r, what, no, why)
	}
	return r, e
}

// mustRun returns CodeInvalidStatus unless r is RUN; why completes the
// message ("only a VPC in RUN status can be deleted").
func mustRun[R any](tx *emu.Tx, t *emu.Table[R], r *R, what, no, why string) *legacyapi.Error {
	if st := t.Status(tx, r); st != wire.StatusRun {
		return legacyapi.Fail(wire.CodeInvalidStatus, "%s %s is %s; %s", what, no, st, why)
	}
	return nil
}
