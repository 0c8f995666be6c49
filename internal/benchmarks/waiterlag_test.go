package benchmarks_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	servicevpc "github.com/ncplabs/terraform-provider-ncp/internal/service/vpc"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// waitBudget is the service kit's polling budget (issue 5, and the
// schedule of wait.DefaultConfig): per transition length, the most polls
// one wait may take. The lag target is ≤ 25 % of the transition and ≤ 5 s.
var waitBudget = []struct {
	delay    time.Duration
	maxPolls int
}{{2 * time.Second, 8}, {10 * time.Second, 14}}

// createAndWait creates object number i and returns once the provider's
// waiter has seen it reach its target status; it fails tb otherwise.
type createAndWait func(ctx context.Context, tb testing.TB, i int) error

// benchmarkLag measures, for each transition length of waitBudget, how
// late run's wait returns after the object reached its target status in
// ncplocal and how many pollOp calls it made, and reports "lag-ms",
// "lag-%-of-delay" and "polls/wait". setup prepares a fresh ncplocal and
// returns run. Polls above the budget fail the benchmark (a count, not a
// time: the lag is reported, never asserted).
//
// ncplocal computes an object's status from the time it handled the create
// plus the delay, so the transition happens at serverCreateTime + delay,
// and serverCreateTime lies between the moment the request was sent (sent)
// and the moment its answer was received. The lag is measured from
// sent + delay, the earliest the transition can be, so that the reported
// lag returned − (sent + delay) is an upper bound: never understated, at
// worst overstated by one request round trip.
func benchmarkLag(b *testing.B, pollOp string, setup func(tb testing.TB, srv *ncplocal.Server) createAndWait) {
	for _, budget := range waitBudget {
		b.Run(fmt.Sprintf("delay=%s", budget.delay), func(b *testing.B) {
			srv := ncplocal.StartTest(b, ncplocal.Options{AsyncDelay: budget.delay})
			run := setup(b, srv)
			var lag time.Duration
			polls, n := 0, 0
			for b.Loop() {
				srv.ResetCalls()
				sent := time.Now()
				if err := run(b.Context(), b, n); err != nil {
					b.Fatal(err)
				}
				returned := time.Now()
				if d := returned.Sub(sent); d < budget.delay {
					b.Fatalf("the wait returned after %s, before the %s transition could have ended", d, budget.delay)
				}
				lag += returned.Sub(sent.Add(budget.delay))
				polls += srv.Calls()[pollOp]
				n++
			}
			mean := lag / time.Duration(n)
			perWait := float64(polls) / float64(n)
			if perWait > float64(budget.maxPolls) {
				b.Errorf("%.1f polls (%s) per wait for a %s transition, over the budget of %d", perWait, pollOp, budget.delay, budget.maxPolls)
			}
			b.ReportMetric(float64(mean)/float64(time.Millisecond), "lag-ms")
			b.ReportMetric(100*float64(mean)/float64(budget.delay), "lag-%-of-delay")
			b.ReportMetric(perWait, "polls/wait")
		})
	}
}

// BenchmarkWaiterLag measures how late the provider notices that a VPC has
// reached RUN, and how often it asks: for an ncplocal async delay of 2 s
// and of 10 s, it creates a VPC through the create-and-wait path of the
// ncp_vpc resource (createVpc, then a wait on getVpcDetail with
// wait.DefaultConfig() and the VPC API's typical duration, the schedule
// the provider uses unless a test overrides it) and reports
//
//   - "lag-ms": time the create returned − time of the RUN transition
//     (target ≤ 5 s);
//   - "lag-%-of-delay": the lag as a share of the delay (target ≤ 25 %);
//   - "polls/wait": getVpcDetail calls per creation (targets ≤ 8 for 2 s,
//     ≤ 14 for 10 s; more fails the benchmark).
//
// See benchmarkLag for how the lag is measured.
func BenchmarkWaiterLag(b *testing.B) {
	benchmarkLag(b, "vpc:"+wire.ActionGetVpcDetail, func(tb testing.TB, srv *ncplocal.Server) createAndWait {
		conn := vpcclient.New(newClient(tb, srv))
		cfg := wait.DefaultConfig().WithTypical(vpcclient.TypicalVpcTransition)
		return func(ctx context.Context, tb testing.TB, i int) error {
			in := vpcclient.CreateVpcInput{
				Name:          fmt.Sprintf("bench-lag-%d", i),
				Ipv4CidrBlock: fmt.Sprintf("10.%d.0.0/16", i%256),
			}
			v, err := createVpcAndWait(ctx, conn, cfg, in)
			if err != nil {
				return err
			}
			if got := v.VpcStatus; got == nil || got.Code != wire.StatusRun {
				return fmt.Errorf("create returned VPC %s in status %+v, want %s", v.VpcNo, got, wire.StatusRun)
			}
			return nil
		}
	})
}

// createVpcAndWait is the create path of the ncp_vpc resource: createVpc,
// then poll getVpcDetail (servicevpc.FindVpcByNo, the resource's finder) on
// cfg until the VPC leaves INIT/CREATING for RUN. The resource's waiter
// itself is unexported; this is the same wait.Until call, with the same
// typical duration.
func createVpcAndWait(ctx context.Context, conn *vpcclient.Client, cfg wait.Config, in vpcclient.CreateVpcInput) (*wire.Vpc, error) {
	v, err := conn.CreateVpc(ctx, in)
	if err != nil {
		return nil, err
	}
	return wait.Until(ctx, cfg, "VPC "+v.VpcNo+" to become RUN", func(ctx context.Context) (*wire.Vpc, string, error) {
		v, err := servicevpc.FindVpcByNo(ctx, conn, v.VpcNo)
		if client.IsNotFound(err) {
			return nil, wait.Gone, nil
		}
		if err != nil {
			return nil, "", err
		}
		if v.VpcStatus == nil {
			return v, "(no status)", nil
		}
		return v, v.VpcStatus.Code, nil
	}, []string{wire.StatusInit, wire.StatusCreating}, []string{wire.StatusRun})
}

// newClient returns a client core for srv with the provider's default
// retry settings, authenticated with ncplocal.DefaultCredential.
func newClient(tb testing.TB, srv *ncplocal.Server) *client.Client {
	tb.Helper()
	_, osRegion, err := client.DefaultEndpoints(client.SitePublic, "KR") // the SigV4 region
	if err != nil {
		tb.Fatal(err)
	}
	url := srv.URL()
	endpoints := client.Endpoints{Ncloud: url, VODStation: url, GlobalEdge: url, CloudFunctions: url, ObjectStorage: url}
	c, err := client.New(client.Config{
		AccessKey:              ncplocal.DefaultCredential.AccessKey,
		SecretKey:              ncplocal.DefaultCredential.SecretKey,
		Region:                 "KR",
		Site:                   client.SitePublic,
		Endpoints:              endpoints,
		ObjectStoragePathStyle: true,
		ObjectStorageRegion:    osRegion,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
