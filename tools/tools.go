//go:build generate

// Package tools pins the documentation tooling (tfplugindocs) in its own
// module, so that it never enters the provider's go.mod, and holds the
// go:generate steps run by `make generate` (cd tools && go generate ./...).
//
// The steps expect ../bin/tofu, ../bin/tofurc (dev_overrides) and
// ../bin/terraform-provider-ncp, which `make generate` builds first.
package tools

import (
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)

// Format the examples (they are rendered into the docs).
//go:generate ../bin/tofu fmt -recursive ../examples/

// Export the provider schema with OpenTofu and key it as "ncp" for tfplugindocs.
//go:generate go run ./providerschema -tofu ../bin/tofu -cli-config ../bin/tofurc -source ncplabs/ncp -name ncp -out ../bin/providers-schema.json

// Render docs/ from templates/, examples/ and the schema, offline.
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir .. --provider-name ncp --rendered-provider-name NCP --providers-schema ../bin/providers-schema.json
