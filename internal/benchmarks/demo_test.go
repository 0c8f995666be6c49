package benchmarks_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
)

// demoDelay is the async delay of BenchmarkDemoApply: ncplocal's default,
// the 2 s transitions the polling targets were set for.
const demoDelay = 2 * time.Second

// demoPolls are the status reads of the waiters the demo's apply runs (VPC,
// subnet, channel, Global Edge edge).
var demoPolls = []string{"vpc:getVpcDetail", "vpc:getSubnetDetail", "vodstation:getChannel", "globaledge:getEdgeStatus"}

// BenchmarkDemoApply applies the demo configuration (examples/video-pipeline
// as it is in the repository, its module included: network, buckets and
// bucket event, VOD Station category and channel with its Global Edge CDN,
// Cloud Functions package, actions, sequence and trigger) from scratch
// against ncplocal with 2 s transitions, the provider running as a plugin
// process, with the inputs `make demo` gives it, and reports per apply:
//
//   - "calls/apply": every API call ncplocal counted;
//   - "polls/apply": the status reads of the waiters (demoPolls);
//   - "apply-s": how long `tofu apply` took.
//
// Each iteration destroys what it applied, untimed, and fails if ncplocal
// keeps anything of it.
func BenchmarkDemoApply(b *testing.B) {
	srv := ncplocal.StartTest(b, ncplocal.Options{AsyncDelay: demoDelay})
	env := acctest.Env(srv)
	for k, v := range map[string]string{
		"TF_VAR_vod_api_url":     srv.URL(),
		"TF_VAR_access_key":      ncplocal.DefaultCredential.AccessKey,
		"TF_VAR_secret_key":      ncplocal.DefaultCredential.SecretKey,
		"TF_VAR_player_base_url": srv.URL(),
	} {
		env[k] = v
	}
	h := tofucli.New(b, env)
	h.NoLock = true
	dir := tofucli.CopyTree(b, filepath.Join(tofucli.RepoRoot(b), "examples", "video-pipeline"))
	// The example's module is local: `tofu get` installs it without the
	// registry lookup of `tofu init` (make demo does the same).
	h.MustRun(b, dir, []int{0}, "get", "-no-color")

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
		if left := leftovers(b, srv); left != "" {
			b.Fatalf("destroy left %s in ncplocal", left)
		}
		b.StartTimer()
	}
	total, polls := 0, 0
	for op, count := range apply.byOp {
		total += count
		if slices.Contains(demoPolls, op) {
			polls += count
		}
	}
	b.Logf("apply: %v", &apply)
	b.ReportMetric(float64(total)/float64(n), "calls/apply")
	b.ReportMetric(float64(polls)/float64(n), "polls/apply")
	b.ReportMetric(took.Seconds()/float64(n), "apply-s")
}
