// Package provider is the ncp Terraform/OpenTofu provider: its schema, the
// resolution of its configuration (provider block > environment > ncloud CLI
// file > defaults) and the lists of resources and data sources.
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ncplabs/terraform-provider-ncp/internal/framework/journal"

	"github.com/ncplabs/terraform-provider-ncp/internal/service/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/vserver"
)

// TypeName is the provider's type name, the prefix of every resource type.
const TypeName = "ncp"

var _ provider.Provider = (*ncpProvider)(nil)

// New returns the provider factory served by main and used by tests. Every
// call of the factory builds an independent provider; several provider
// blocks (aliases) never share configuration or clients.
func New(version string, opts ...Option) func() provider.Provider {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	return func() provider.Provider {
		return &ncpProvider{version: version, opts: o}
	}
}

// NewServer returns a protocol 6 server factory for one provider of
// New(version, opts...): the framework's server, with every apply run in a
// create journal scope (journal.WrapServer), so that the journal entry of a
// create goes once OpenTofu has the object. main serves it; tests use it as
// their provider factory.
func NewServer(version string, opts ...Option) func() (tfprotov6.ProviderServer, error) {
	server := providerserver.NewProtocol6(New(version, opts...)())
	return func() (tfprotov6.ProviderServer, error) {
		return journal.WrapServer(server()), nil
	}
}

// ncpProvider is one provider block. Configure stores nothing in it: the
// configured client travels to resources through the ConfigureResponse.
type ncpProvider struct {
	version string
	opts    options
}

// Metadata returns the type name and version.
func (p *ncpProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = TypeName
	resp.Version = p.version
}

// Resources lists the provider's resources, one constructor per line, sorted
// by type name.
func (p *ncpProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		cloudfunctions.NewActionResource,
		cloudfunctions.NewPackageResource,
		cloudfunctions.NewSequenceResource,
		cloudfunctions.NewTriggerResource,
		globaledge.NewCdnResource,
		globaledge.NewProfileResource,
		objectstorage.NewBucketResource,
		objectstorage.NewBucketEventResource,
		vodstation.NewCategoryResource,
		vodstation.NewChannelResource,
		vodstation.NewEncodingOptionResource,
		vpc.NewSubnetResource,
		vpc.NewVpcResource,
	}
}

// DataSources lists the provider's data sources, one constructor per line,
// sorted by type name.
func (p *ncpProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		cloudfunctions.NewActionDataSource,
		cloudfunctions.NewActivationsDataSource,
		cloudfunctions.NewPackageDataSource,
		cloudfunctions.NewRuntimesDataSource,
		globaledge.NewProfileDataSource,
		vodstation.NewCategoryDataSource,
		vodstation.NewChannelDataSource,
		vodstation.NewEncodingOptionsDataSource,
		vodstation.NewEncodingTemplatesDataSource,
		vpc.NewSubnetDataSource,
		vpc.NewVpcDataSource,
		vserver.NewZonesDataSource,
	}
}
