package globaledge

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

var (
	_ datasource.DataSource              = (*profileDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*profileDataSource)(nil)
)

// NewProfileDataSource returns the ncp_global_edge_profile data source.
func NewProfileDataSource() datasource.DataSource { return &profileDataSource{} }

// profileDataSource looks up one profile by name.
type profileDataSource struct {
	meta *conns.Meta
}

func (d *profileDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_global_edge_profile"
}

func (d *profileDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an existing Global Edge profile by its name (exact match).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "The profile ID, e.g. `1836`."},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name of the profile to look up: " + wire.NameRule + ".",
				Validators:          []validator.String{nameValidator{}},
			},
			"customer_id": schema.StringAttribute{Computed: true, MarkdownDescription: "The NCP customer number the profile belongs to."},
		},
	}
}

func (d *profileDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

func (d *profileDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m profileAttrs
	ctx, cancel, ok := framework.BeginDataSourceRead(ctx, d.meta, req.Config, &m, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	name := m.Name.ValueString()
	found, err := findProfilesByName(ctx, geclient.New(d.meta.Client), name)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error looking up Global Edge profile %q", name), err)
		return
	}
	if len(found) != 1 {
		resp.Diagnostics.AddError("Global Edge profile not found",
			fmt.Sprintf("Found %d Global Edge profiles named %q; the name must match exactly one.", len(found), name))
		return
	}
	m.set(found[0])
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
