package benchmarks_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
)

// demoDelay is the async delay of BenchmarkDemoApply: ncplocal's default,
// the 2 s transitions the polling targets were set for.
const demoDelay = 2 * time.Second

// BenchmarkDemoApply applies the demo configuration (examples/video-pipeline,
// as it is in the repository: a VPC, a subnet and two buckets) from scratch
// against ncplocal with 2 s transitions, the provider running as a plugin
// process, and reports per apply:
//
//   - "calls/apply": every API call ncplocal counted;
//   - "polls/apply": the status reads of the VPC and subnet waiters
//     (getVpcDetail, getSubnetDetail);
//   - "apply-s": how long `tofu apply` took.
//
// Each iteration destroys what it applied, untimed.
func BenchmarkDemoApply(b *testing.B) {
	srv := ncplocal.StartTest(b, ncplocal.Options{AsyncDelay: demoDelay})
	h := newTofuHarness(b, srv)
	example := filepath.Join(tofucli.RepoRoot(b), "examples", "video-pipeline")
	tfs, err := filepath.Glob(filepath.Join(example, "*.tf"))
	if err != nil || len(tfs) == 0 {
		b.Fatalf("no .tf files in %s (%v)", example, err)
	}
	files := map[string]string{}
	for _, f := range tfs {
		content, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		files[filepath.Base(f)] = string(content)
	}
	dir := h.Workspace(b, files)

	var apply phaseCalls
	var took time.Duration
	n := 0
	for b.Loop() {
		srv.ResetCalls()
		start := time.Now()
		h.Apply(b, dir)
		took += time.Since(start)
		apply.add(srv.Calls())
		n++

		b.StopTimer()
		h.Destroy(b, dir)
		if inv := takeInventory(b, srv); inv.Vpcs+inv.Subnets+inv.Buckets != 0 {
			b.Fatalf("destroy left %+v in ncplocal", inv)
		}
		b.StartTimer()
	}
	total, polls := 0, 0
	for op, count := range apply.byOp {
		total += count
		if strings.HasSuffix(op, ":getVpcDetail") || strings.HasSuffix(op, ":getSubnetDetail") {
			polls += count
		}
	}
	b.Logf("apply: %v", &apply)
	b.ReportMetric(float64(total)/float64(n), "calls/apply")
	b.ReportMetric(float64(polls)/float64(n), "polls/apply")
	b.ReportMetric(took.Seconds()/float64(n), "apply-s")
}
