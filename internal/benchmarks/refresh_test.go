package benchmarks_test

import (
	"os"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
)

// refreshResources is the number of subnets (and of terraform_data
// resources) BenchmarkRefresh plans: 200, or 20 when BENCH_SHORT is set
// (make test's one-iteration run, which checks that the benchmark works and
// its plans stay empty, not how fast they are).
func refreshResources() int {
	if benchShort() {
		return 20
	}
	return 200
}

// benchShort reports whether BENCH_SHORT is set: scripts/test-benchmarks.sh
// (make test) runs every benchmark once with it, and the costliest ones
// then shrink their input.
func benchShort() bool { return os.Getenv("BENCH_SHORT") != "" }

// BenchmarkRefresh measures a whole-process `tofu plan -input=false
// -lock=false` (refresh included) of one ncp_vpc and 200 ncp_subnet against
// an in-process ncplocal, the provider running as a plugin process, and
// two baselines:
//
//   - noop_floor: the same configuration with the resources of
//     cmd/noopprovider, a Plugin Framework provider of the same schemas
//     that does no I/O: what any framework plugin costs OpenTofu for this
//     plan. The target is measured against it;
//   - terraform_data: 200 terraform_data resources, built into OpenTofu,
//     no plugin at all (for information);
//   - ncp_subnet_no_refresh: the ncp plan with -refresh=false, no API call
//     at all (for information: what the plugin costs without refresh);
//   - ratio: the three plans in turn in each iteration, so that all see the
//     same machine state; reports "floor-ratio" (ncp / no-op, target
//     ≤ 1.15), "ratio" (ncp / terraform_data) and the milliseconds of each
//     ("ncp-ms/op", "noop-ms/op", "data-ms/op"); ns/op is the triple.
//
// Every configuration is applied once before any timing. Every plan must
// come out empty (-detailed-exitcode), so a provider that sees drift fails
// the benchmark instead of measuring it.
func BenchmarkRefresh(b *testing.B) {
	srv := ncplocal.StartTest(b, ncplocal.Options{AsyncDelay: 0})
	h := newTofuHarness(b, srv)
	noop := newNoopHarness(b)
	ncpDir := workspace(b, h, subnetsConfig("bench-refresh", refreshResources(), 0))
	noopDir := workspace(b, noop, noopConfig("bench-refresh", refreshResources()))
	dataDir := workspace(b, h, terraformDataConfig(refreshResources()))
	h.Apply(b, ncpDir)
	noop.Apply(b, noopDir)
	h.Apply(b, dataDir)

	b.Run("ncp_subnet", func(b *testing.B) {
		for b.Loop() {
			h.PlanEmpty(b, ncpDir)
		}
	})
	b.Run("ncp_subnet_no_refresh", func(b *testing.B) {
		for b.Loop() {
			h.PlanEmpty(b, ncpDir, "-refresh=false")
		}
	})
	b.Run("noop_floor", func(b *testing.B) {
		for b.Loop() {
			noop.PlanEmpty(b, noopDir)
		}
	})
	b.Run("terraform_data", func(b *testing.B) {
		for b.Loop() {
			h.PlanEmpty(b, dataDir)
		}
	})
	b.Run("ratio", func(b *testing.B) {
		var ncp, floor, data time.Duration
		n := 0
		for b.Loop() {
			ncp += h.PlanEmpty(b, ncpDir)
			floor += noop.PlanEmpty(b, noopDir)
			data += h.PlanEmpty(b, dataDir)
			n++
		}
		ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / float64(n) }
		b.ReportMetric(float64(ncp)/float64(floor), "floor-ratio")
		b.ReportMetric(float64(ncp)/float64(data), "ratio")
		b.ReportMetric(ms(ncp), "ncp-ms/op")
		b.ReportMetric(ms(floor), "noop-ms/op")
		b.ReportMetric(ms(data), "data-ms/op")
	})
}
