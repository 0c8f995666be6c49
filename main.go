// Command terraform-provider-ncp is the ncp Terraform/OpenTofu provider for
// NAVER Cloud Platform.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/ncplabs/terraform-provider-ncp/internal/pluginproc"
	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
)

// version is set by the goreleaser configuration
// (-ldflags "-X main.version={{.Version}}") to the release version.
var version = "dev"

func main() {
	var debugMode bool

	flag.BoolVar(&debugMode, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()

	if err := pluginproc.Setup("ncp"); err != nil {
		log.Fatal(err.Error())
	}

	var opts []tf6server.ServeOpt
	if debugMode {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// The server of provider.NewServer, not providerserver.Serve's: it
	// keeps the create journal (see internal/framework/journal).
	server, err := provider.NewServer(version)()
	if err != nil {
		log.Fatal(err.Error())
	}
	if err := tf6server.Serve("registry.terraform.io/ncplabs/ncp", func() tfprotov6.ProviderServer { return server }, opts...); err != nil {
		log.Fatal(err.Error())
	}
}
