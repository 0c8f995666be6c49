package e2e_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// TestVideoPipelineExample applies examples/video-pipeline, the module
// `make demo` applies, exactly as it is in the repository, so the example a
// user starts from is checked on every test run.
func TestVideoPipelineExample(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	h := tofucli.New(t, acctest.Env(srv))

	example := filepath.Join(tofucli.RepoRoot(t), "examples", "video-pipeline")
	files := map[string]string{}
	tfs, err := filepath.Glob(filepath.Join(example, "*.tf"))
	if err != nil || len(tfs) == 0 {
		t.Fatalf("no .tf files in %s (%v)", example, err)
	}
	for _, f := range tfs {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(f)] = string(b)
	}
	dir := h.Workspace(t, files)

	h.Apply(t, dir)
	out, _ := h.MustRun(t, dir, nil, "output", "-json", "-no-color")
	var outputs map[string]struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal([]byte(out), &outputs); err != nil {
		t.Fatalf("tofu output -json: %v\n%s", err, out)
	}
	if outputs["upload_bucket"].Value != "video-upload-demo" || outputs["output_bucket"].Value != "video-output-demo" {
		t.Errorf("bucket outputs = %+v", outputs)
	}

	var inv struct {
		Vpcs    []wire.Vpc    `json:"vpcs"`
		Subnets []wire.Subnet `json:"subnets"`
	}
	if _, err := acctest.DecodeInventory(srv, ncplocal.DefaultCredential.AccountID, "vpc", &inv); err != nil {
		t.Fatal(err)
	}
	if len(inv.Vpcs) != 1 || inv.Vpcs[0].VpcNo != outputs["vpc_no"].Value || inv.Vpcs[0].Ipv4CidrBlock != "10.0.0.0/16" {
		t.Errorf("ncplocal VPCs = %+v, want the one VPC %s with 10.0.0.0/16", inv.Vpcs, outputs["vpc_no"].Value)
	}
	if len(inv.Subnets) != 1 {
		t.Fatalf("ncplocal subnets = %+v, want one", inv.Subnets)
	}
	if s := inv.Subnets[0]; s.SubnetNo != outputs["subnet_no"].Value || s.ZoneCode != "KR-2" ||
		s.SubnetType == nil || s.SubnetType.Code != wire.SubnetTypePrivate {
		t.Errorf("subnet = %+v, want the tutorial's private KR-2 subnet", s)
	}
	_, buckets := inventoryNames(t, srv, ncplocal.DefaultCredential.AccountID)
	if strings.Join(buckets, ",") != "video-output-demo,video-upload-demo" {
		t.Errorf("buckets = %v", buckets)
	}

	h.PlanEmpty(t, dir)
	h.Destroy(t, dir)
	if vpcs, buckets := inventoryNames(t, srv, ncplocal.DefaultCredential.AccountID); len(vpcs)+len(buckets) != 0 {
		t.Errorf("after destroy ncplocal still holds VPCs %v and buckets %v", vpcs, buckets)
	}
}
