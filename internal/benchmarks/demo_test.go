package benchmarks_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
	dir := copyExample(b, filepath.Join(tofucli.RepoRoot(b), "examples", "video-pipeline"))
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

// copyExample copies the configuration under src (its .tf files, modules
// and function sources) into a new directory, leaving out what a local run
// of the example may have left there (.terraform, state files, the lock
// file), and returns the directory.
func copyExample(tb testing.TB, src string) string {
	tb.Helper()
	dst := tb.TempDir()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		name := d.Name()
		switch {
		case d.IsDir() && name == ".terraform":
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		case strings.Contains(name, ".tfstate") || name == ".terraform.lock.hcl" || !d.Type().IsRegular():
			return nil
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), content, 0o644)
	})
	if err != nil {
		tb.Fatalf("copying %s: %v", src, err)
	}
	if tfs, _ := filepath.Glob(filepath.Join(dst, "*.tf")); len(tfs) == 0 {
		tb.Fatalf("no .tf files in %s", src)
	}
	return dst
}
