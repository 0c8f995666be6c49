package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const sample = `{"format_version":"1.0","provider_schemas":{
  "registry.opentofu.org/hashicorp/null":{"provider":{"version":0,"block":{}}},
  "registry.opentofu.org/ncplabs/ncp":{"provider":{"version":0,"block":{"description":"<b>NCP</b>"}},
    "data_source_schemas":{"ncp_zones":{"version":0,"block":{}}}}}}`

func TestRename(t *testing.T) {
	out, err := rename([]byte(sample), "ncplabs/ncp", "ncp")
	if err != nil {
		t.Fatal(err)
	}

	var doc struct {
		FormatVersion   string                     `json:"format_version"`
		ProviderSchemas map[string]json.RawMessage `json:"provider_schemas"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.FormatVersion != "1.0" {
		t.Errorf("format_version = %q", doc.FormatVersion)
	}
	if _, ok := doc.ProviderSchemas["registry.opentofu.org/ncplabs/ncp"]; ok {
		t.Error("old key still present")
	}
	if !strings.Contains(string(doc.ProviderSchemas["ncp"]), "ncp_zones") {
		t.Errorf("ncp entry = %s", doc.ProviderSchemas["ncp"])
	}
	if _, ok := doc.ProviderSchemas["registry.opentofu.org/hashicorp/null"]; !ok {
		t.Error("other providers must be kept")
	}
	if !strings.Contains(string(out), "<b>NCP</b>") {
		t.Error("HTML in descriptions must not be escaped")
	}

	again, err := rename(out, "ncplabs/ncp", "ncp")
	if err != nil {
		t.Fatalf("renaming twice: %v", err)
	}
	if string(again) != string(out) {
		t.Error("rename is not idempotent")
	}
}

func TestRenameTerraformHost(t *testing.T) {
	in := `{"format_version":"1.0","provider_schemas":{"registry.terraform.io/ncplabs/ncp":{}}}`
	out, err := rename([]byte(in), "ncplabs/ncp", "ncp")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"ncp": {}`) {
		t.Errorf("got %s", out)
	}
}

func TestRenameMissing(t *testing.T) {
	in := `{"format_version":"1.0","provider_schemas":{"registry.opentofu.org/hashicorp/null":{}}}`
	_, err := rename([]byte(in), "ncplabs/ncp", "ncp")
	if err == nil || !strings.Contains(err.Error(), "hashicorp/null") {
		t.Fatalf("want an error listing the keys found, got %v", err)
	}
}

func TestRenameDuplicate(t *testing.T) {
	in := `{"provider_schemas":{"registry.opentofu.org/ncplabs/ncp":{},"registry.terraform.io/ncplabs/ncp":{}}}`
	if _, err := rename([]byte(in), "ncplabs/ncp", "ncp"); err == nil {
		t.Fatal("want an error for two matching entries")
	}
}
