// Command terraform-provider-ncp is the ncp Terraform/OpenTofu provider for
// NAVER Cloud Platform.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
)

// version is set by the goreleaser configuration
// (-ldflags "-X main.version={{.Version}}") to the release version.
var version = "dev"

// gcPercent is the garbage collector target of the plugin process unless
// GOGC says otherwise. A plugin lives for one command and its heap stays
// small (tens of MiB for hundreds of resources), so collecting four times
// less often costs little memory and saves a fifth of its CPU time.
const gcPercent = 400

func main() {
	var debugMode bool

	flag.BoolVar(&debugMode, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()

	if _, ok := os.LookupEnv("GOGC"); !ok {
		debug.SetGCPercent(gcPercent)
	}
	for _, kv := range quietLogEnv(os.Environ()) {
		k, v, _ := strings.Cut(kv, "=")
		if err := os.Setenv(k, v); err != nil {
			log.Fatal(err.Error())
		}
	}

	opts := providerserver.ServeOpts{
		Address: "registry.terraform.io/ncplabs/ncp",
		Debug:   debugMode,
	}

	if err := providerserver.Serve(context.Background(), provider.New(version), opts); err != nil {
		log.Fatal(err.Error())
	}
}

// quietLogEnv returns the variables that turn the plugin SDK's logging off
// when environ holds no TF_LOG* variable at all. Terraform and OpenTofu
// pass their environment to plugins and show a plugin's log lines only
// when TF_LOG or TF_LOG_PROVIDER (or one of their relatives) is set;
// otherwise they read and drop them. The SDK defaults to writing every
// trace line as JSON, which is a quarter of the plugin's CPU time in a
// plan, all of it thrown away. Any TF_LOG* variable leaves logging as the
// user asked.
func quietLogEnv(environ []string) []string {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "TF_LOG") {
			return nil
		}
	}
	return []string{
		"TF_LOG_SDK=off",
		"TF_LOG_SDK_PROTO=off",
		"TF_LOG_SDK_FRAMEWORK=off",
		"TF_LOG_PROVIDER=off",
	}
}
