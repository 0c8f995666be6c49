package benchmarks_test

import (
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
)

// refreshResources is the number of subnets (and of terraform_data
// resources) BenchmarkRefresh plans.
const refreshResources = 200

// BenchmarkRefresh measures a whole-process `tofu plan -input=false
// -lock=false` (refresh included) of one ncp_vpc and 200 ncp_subnet against
// an in-process ncplocal, the provider running as a plugin process, and the
// same plan of 200 terraform_data resources, which costs OpenTofu alone:
//
//   - ncp_subnet and terraform_data: ns/op of each plan on its own;
//   - ncp_subnet_no_refresh: the ncp plan with -refresh=false, no API call
//     at all: what the plugin process and the per-resource protocol calls
//     cost without the refresh (not part of the target, it shows where
//     the time goes);
//   - ratio: both plans alternately in each iteration, so that both see the
//     same machine state; reports "ratio" (ncp / terraform_data, target
//     ≤ 1.5), "ncp-ms/op" and "data-ms/op"; ns/op is the pair.
//
// Both configurations are applied once before any timing. Every plan must
// come out empty (-detailed-exitcode), so a provider that sees drift fails
// the benchmark instead of measuring it.
func BenchmarkRefresh(b *testing.B) {
	srv := ncplocal.StartTest(b, ncplocal.Options{AsyncDelay: 0})
	h := newTofuHarness(b, srv)
	ncpDir := workspace(b, h, subnetsConfig("bench-refresh", refreshResources, 0))
	dataDir := workspace(b, h, terraformDataConfig(refreshResources))
	h.Apply(b, ncpDir)
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
	b.Run("terraform_data", func(b *testing.B) {
		for b.Loop() {
			h.PlanEmpty(b, dataDir)
		}
	})
	b.Run("ratio", func(b *testing.B) {
		var ncp, data time.Duration
		n := 0
		for b.Loop() {
			ncp += h.PlanEmpty(b, ncpDir)
			data += h.PlanEmpty(b, dataDir)
			n++
		}
		b.ReportMetric(float64(ncp)/float64(data), "ratio")
		b.ReportMetric(float64(ncp)/float64(time.Millisecond)/float64(n), "ncp-ms/op")
		b.ReportMetric(float64(data)/float64(time.Millisecond)/float64(n), "data-ms/op")
	})
}
