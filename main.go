// Command terraform-provider-ncp is the ncp Terraform/OpenTofu provider for
// NAVER Cloud Platform.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

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

	opts := providerserver.ServeOpts{
		Address: "registry.terraform.io/ncplabs/ncp",
		Debug:   debugMode,
	}

	if err := providerserver.Serve(context.Background(), provider.New(version), opts); err != nil {
		log.Fatal(err.Error())
	}
}
