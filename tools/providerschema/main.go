// Command providerschema exports the provider's schema with OpenTofu and keys
// it the way tfplugindocs looks it up.
//
// tfplugindocs, given --providers-schema, finds the provider under its short
// name ("ncp") or under "registry.terraform.io/hashicorp/ncp". OpenTofu keys
// the schema by the full source address ("registry.opentofu.org/ncplabs/ncp"),
// so the entry is renamed to the short name.
//
// Export (needs a CLI configuration with dev_overrides for the provider):
//
//	go run ./providerschema -tofu ../bin/tofu -cli-config ../bin/tofurc -out ../bin/providers-schema.json
//
// Rename only, from an existing `tofu providers schema -json` output:
//
//	go run ./providerschema -in schema.json -out renamed.json
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	var (
		tofu      = flag.String("tofu", "", "OpenTofu binary used to export the schema (ignored with -in)")
		cliConfig = flag.String("cli-config", "", "CLI configuration with dev_overrides for the provider (ignored with -in)")
		in        = flag.String("in", "", "read `tofu providers schema -json` output from this file instead of running tofu")
		out       = flag.String("out", "", "write the renamed schema JSON here (required)")
		source    = flag.String("source", "ncplabs/ncp", "provider source address (namespace/type)")
		name      = flag.String("name", "ncp", "key to store the provider schema under (tfplugindocs --provider-name)")
	)
	flag.Parse()

	if err := run(*tofu, *cliConfig, *in, *out, *source, *name); err != nil {
		fmt.Fprintln(os.Stderr, "providerschema:", err)
		os.Exit(1)
	}
}

func run(tofu, cliConfig, in, out, source, name string) error {
	if out == "" {
		return errors.New("-out is required")
	}

	var raw []byte
	var err error
	switch {
	case in != "":
		raw, err = os.ReadFile(in)
	case tofu != "" && cliConfig != "":
		raw, err = export(tofu, cliConfig, source, name)
	default:
		return errors.New("either -in, or both -tofu and -cli-config, are required")
	}
	if err != nil {
		return err
	}

	renamed, err := rename(raw, source, name)
	if err != nil {
		return err
	}

	return os.WriteFile(out, append(renamed, '\n'), 0o644)
}

// export runs `tofu providers schema -json` in a temporary directory holding
// only a required_providers block for the provider. No `tofu init` is run:
// with dev_overrides it is not needed.
func export(tofu, cliConfig, source, name string) ([]byte, error) {
	tofuAbs, err := filepath.Abs(tofu)
	if err != nil {
		return nil, err
	}
	cfgAbs, err := filepath.Abs(cliConfig)
	if err != nil {
		return nil, err
	}

	dir, err := os.MkdirTemp("", "providerschema")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	config := fmt.Sprintf("terraform {\n  required_providers {\n    %s = { source = %q }\n  }\n}\n", name, source)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
		return nil, err
	}

	cmd := exec.Command(tofuAbs, "providers", "schema", "-json")
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(os.Environ()),
		"TF_CLI_CONFIG_FILE="+cfgAbs,
		"TF_DATA_DIR="+filepath.Join(dir, ".terraform"),
		"TF_IN_AUTOMATION=1",
	)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s providers schema -json: %w\n%s", tofu, err, stderr.String())
	}

	return stdout.Bytes(), nil
}

// cleanEnv drops variables that would change what tofu does here.
func cleanEnv(env []string) []string {
	kept := env[:0:0]
	for _, kv := range env {
		key, _, _ := strings.Cut(kv, "=")
		if key == "TF_CLI_CONFIG_FILE" || key == "TF_DATA_DIR" || key == "TF_WORKSPACE" ||
			strings.HasPrefix(key, "TF_CLI_ARGS") {
			continue
		}
		kept = append(kept, kv)
	}
	return kept
}

// rename moves the provider_schemas entry whose key is the provider's source
// address on any registry host (for example "registry.opentofu.org/ncplabs/ncp")
// to the key name. Every other part of the document is kept byte for byte.
func rename(raw []byte, source, name string) ([]byte, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("parsing providers schema JSON: %w", err)
	}

	var schemas map[string]json.RawMessage
	if err := json.Unmarshal(doc["provider_schemas"], &schemas); err != nil || schemas == nil {
		return nil, errors.New(`no "provider_schemas" object in the providers schema JSON`)
	}

	var matches []string
	for key := range schemas {
		if key == name || key == source || strings.HasSuffix(key, "/"+source) {
			matches = append(matches, key)
		}
	}
	sort.Strings(matches)

	switch len(matches) {
	case 0:
		keys := make([]string, 0, len(schemas))
		for key := range schemas {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		return nil, fmt.Errorf("no provider %q in the schema JSON (found: %s)", source, strings.Join(keys, ", "))
	case 1:
	default:
		return nil, fmt.Errorf("provider %q appears more than once in the schema JSON: %s", source, strings.Join(matches, ", "))
	}

	schema := schemas[matches[0]]
	delete(schemas, matches[0])
	schemas[name] = schema

	inner, err := encode(schemas, "")
	if err != nil {
		return nil, err
	}
	doc["provider_schemas"] = inner

	return encode(doc, "  ")
}

// encode writes v as JSON without HTML escaping (descriptions hold Markdown).
// encoding/json writes map keys sorted, so the output is deterministic.
func encode(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
