// Package vserver holds the resources and data sources of the NCP VServer
// API: regions, zones and access control groups.
package vserver

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	vserverclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vserver"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vserver"
)

var (
	_ datasource.DataSource              = (*zonesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*zonesDataSource)(nil)
)

// NewZonesDataSource returns the ncp_zones data source.
func NewZonesDataSource() datasource.DataSource {
	return &zonesDataSource{}
}

// zonesDataSource lists the zones of a region (getZoneList).
type zonesDataSource struct {
	meta *conns.Meta
}

// zonesDataSourceModel is the ncp_zones data source.
type zonesDataSourceModel struct {
	Region    types.String `tfsdk:"region"`
	Zones     []zoneModel  `tfsdk:"zones"`
	ZoneCodes types.List   `tfsdk:"zone_codes"`
}

// zoneModel is one element of zones.
type zoneModel struct {
	ZoneCode    types.String `tfsdk:"zone_code"`
	ZoneName    types.String `tfsdk:"zone_name"`
	RegionCode  types.String `tfsdk:"region_code"`
	Description types.String `tfsdk:"description"`
}

// Metadata returns the type name ncp_zones.
func (d *zonesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_zones"
}

// Schema describes ncp_zones.
func (d *zonesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the zones of an NCP region, for example to spread subnets over `KR-1` and `KR-2`.",
		Attributes: map[string]schema.Attribute{
			"region": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Region code whose zones are listed, e.g. `KR`. " +
					"Defaults to the `region` of the provider.",
			},
			"zones": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The zones of the region, sorted by zone code.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"zone_code": schema.StringAttribute{
							Computed:            true,
							MarkdownDescription: "Zone code, e.g. `KR-1`; the value subnets take as `zone`.",
						},
						"zone_name": schema.StringAttribute{
							Computed:            true,
							MarkdownDescription: "Zone name, e.g. `KR-1`.",
						},
						"region_code": schema.StringAttribute{
							Computed:            true,
							MarkdownDescription: "Code of the region the zone belongs to, e.g. `KR`.",
						},
						"description": schema.StringAttribute{
							Computed:            true,
							MarkdownDescription: "NCP's description of the zone; empty when NCP gives none.",
						},
					},
				},
			},
			"zone_codes": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The zone codes of `zones`, sorted, e.g. `[\"KR-1\", \"KR-2\"]`.",
			},
		},
	}
}

// Configure receives the provider's client.
func (d *zonesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

// Read lists the zones.
func (d *zonesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data zonesDataSourceModel
	ctx, cancel, ok := framework.BeginDataSourceRead(ctx, d.meta, req.Config, &data, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	region := framework.StringOr(data.Region, d.meta.Region)

	zones, err := vserverclient.New(d.meta.Client).GetZoneList(ctx, region)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error listing the zones of region %s", region), err)
		return
	}

	// Sorted by code, so that zone_codes[0] is the first zone (KR-1) whatever
	// order NCP lists them in.
	slices.SortStableFunc(zones, func(a, b wire.Zone) int { return strings.Compare(a.ZoneCode, b.ZoneCode) })

	data.Region = types.StringValue(region)
	data.Zones = make([]zoneModel, 0, len(zones))
	codes := make([]string, 0, len(zones))
	for _, z := range zones {
		data.Zones = append(data.Zones, zoneModel{
			ZoneCode:    types.StringValue(z.ZoneCode),
			ZoneName:    types.StringValue(z.ZoneName),
			RegionCode:  types.StringValue(z.RegionCode),
			Description: types.StringValue(z.ZoneDescription),
		})
		codes = append(codes, z.ZoneCode)
	}
	data.ZoneCodes = framework.StringList(codes)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}
