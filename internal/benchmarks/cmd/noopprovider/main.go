// Command noopprovider is the floor of the refresh benchmark: a Plugin
// Framework provider that does no I/O, run by OpenTofu as a plugin process
// the way the ncp provider is. Its resources have the schema shapes of
// ncp_vpc and ncp_subnet (the same attributes, kinds, plan modifiers,
// validator counts and timeouts block); Read leaves the state as it is. A
// plan of 1 noop_vpc and 200 noop_subnet therefore costs what any framework
// plugin costs OpenTofu for that configuration, and the benchmark compares
// ncp's refresh of the same configuration with it.
//
// The process is set up like the ncp provider's (internal/pluginproc).
package main

import (
	"context"
	"flag"
	"log"
	"strconv"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/pluginproc"
)

// Address is the provider's address; configurations use source
// "ncplabs/noop" and a CLI configuration maps it with dev_overrides.
const Address = "registry.opentofu.org/ncplabs/noop"

func main() {
	debugMode := flag.Bool("debug", false, "serve for a debugger")
	flag.Parse()
	if err := pluginproc.Setup("noop"); err != nil {
		log.Fatal(err.Error())
	}
	err := providerserver.Serve(context.Background(), func() provider.Provider { return &noopProvider{} },
		providerserver.ServeOpts{Address: Address, Debug: *debugMode})
	if err != nil {
		log.Fatal(err.Error())
	}
}

type noopProvider struct{}

func (p *noopProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "noop"
}

func (p *noopProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (p *noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *noopProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		func() resource.Resource { return &noopResource{name: "vpc", shape: vpcShape} },
		func() resource.Resource { return &noopResource{name: "subnet", shape: subnetShape} },
	}
}

func (p *noopProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// attr is one string attribute of a shape.
type attr struct {
	name     string
	required bool
	optional bool
	computed bool
	// stable: UseStateForUnknown; replace: RequiresReplace.
	stable, replace bool
	// validated: one validator, as the real attribute has.
	validated bool
	// def is the default value ("": none).
	def string
}

// The shapes of ncp_vpc and ncp_subnet (internal/service/vpc).
var (
	vpcShape = []attr{
		{name: "id", computed: true, stable: true},
		{name: "vpc_no", computed: true, stable: true},
		{name: "name", optional: true, computed: true, stable: true, replace: true, validated: true},
		{name: "ipv4_cidr_block", required: true, replace: true, validated: true},
		{name: "default_network_acl_no", computed: true, stable: true},
		{name: "default_access_control_group_no", computed: true, stable: true},
		{name: "default_public_route_table_no", computed: true, stable: true},
		{name: "default_private_route_table_no", computed: true, stable: true},
	}
	subnetShape = []attr{
		{name: "id", computed: true, stable: true},
		{name: "subnet_no", computed: true, stable: true},
		{name: "vpc_no", required: true, replace: true, validated: true},
		{name: "subnet", required: true, replace: true, validated: true},
		{name: "zone", required: true, replace: true, validated: true},
		{name: "network_acl_no", required: true, replace: true, validated: true},
		{name: "subnet_type", required: true, replace: true, validated: true},
		{name: "usage_type", optional: true, computed: true, replace: true, validated: true, def: "GEN"},
		{name: "name", optional: true, computed: true, stable: true, replace: true, validated: true},
	}
)

// noopResource is a resource of a given shape that stores what it is given
// and invents the computed values.
type noopResource struct {
	name  string
	shape []attr
}

// serial numbers the objects created, for their computed values.
var serial atomic.Int64

func (r *noopResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.name
}

func (r *noopResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{}
	for _, a := range r.shape {
		var mods []planmodifier.String
		if a.stable {
			mods = append(mods, stringplanmodifier.UseStateForUnknown())
		}
		if a.replace {
			mods = append(mods, stringplanmodifier.RequiresReplace())
		}
		var vals []validator.String
		if a.validated {
			vals = append(vals, stringvalidator.LengthAtMost(255))
		}
		s := schema.StringAttribute{
			Required: a.required, Optional: a.optional, Computed: a.computed,
			MarkdownDescription: "The " + a.name + " of the object.",
			PlanModifiers:       mods, Validators: vals,
		}
		if a.def != "" {
			s.Default = stringdefault.StaticString(a.def)
		}
		attrs[a.name] = s
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "An object of the " + r.name + " shape that does nothing.",
		Attributes:          attrs,
		Blocks:              map[string]schema.Block{"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Delete: true})},
	}
}

// Create fills every unknown computed value.
func (r *noopResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	n := strconv.FormatInt(serial.Add(1), 10)
	resp.State.Raw = req.Plan.Raw
	for _, a := range r.shape {
		var v types.String
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(a.name), &v)...)
		if v.IsUnknown() {
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(a.name), types.StringValue(a.name+"-"+n))...)
		}
	}
}

// Read keeps the state as it is: no I/O.
func (r *noopResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update stores the plan (only the timeouts block can change in place).
func (r *noopResource) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
}

func (r *noopResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
