package benchmarks_test

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
)

// The configuration of BenchmarkAPICalls: one VPC, apiCallsSubnets subnets
// and apiCallsBuckets buckets.
const (
	apiCallsSubnets = 20
	apiCallsBuckets = 2
)

// resourceKinds are the resource kinds calls are attributed to, with their
// count in the configuration of BenchmarkAPICalls.
var resourceKinds = map[string]int{"subnet": apiCallsSubnets, "vpc": 1, "bucket": apiCallsBuckets}

// callKind attributes an ncplocal operation ("vpc:getSubnetDetail") to the
// resource kind whose CRUD makes it: subnet actions of the VPC API to
// subnets, the other VPC actions (VPCs, their default network ACL and route
// tables) and VServer access control groups to the VPC, Object Storage to
// buckets. Anything else, e.g. a call made while configuring the provider,
// is "other".
func callKind(op string) string {
	svc, action, _ := strings.Cut(op, ":")
	switch {
	case svc == "vpc" && strings.Contains(action, "Subnet"):
		return "subnet"
	case svc == "vpc", svc == "vserver" && strings.Contains(action, "AccessControlGroup"):
		return "vpc"
	case svc == "objectstorage":
		return "bucket"
	}
	return "other"
}

// listScan matches the operations that scan a collection instead of
// addressing one object: getXList of the gateway APIs, ListBuckets and the
// object listings of Object Storage.
var listScan = regexp.MustCompile(`^[a-z]+:(get\w*List|ListBuckets|ListObjects\w*)$`)

// phaseCalls is what one phase (apply, plan, destroy) cost, summed over the
// benchmark's iterations.
type phaseCalls struct {
	byKind map[string]int
	byOp   map[string]int
}

func (p *phaseCalls) add(calls map[string]int) {
	if p.byKind == nil {
		p.byKind, p.byOp = map[string]int{}, map[string]int{}
	}
	for op, n := range calls {
		p.byKind[callKind(op)] += n
		p.byOp[op] += n
	}
}

// report reports the calls per resource of each kind as "<phase>-calls/<kind>"
// and the unattributed calls as "<phase>-other-calls", per iteration.
func (p *phaseCalls) report(b *testing.B, phase string, iterations int) {
	for kind, count := range resourceKinds {
		b.ReportMetric(float64(p.byKind[kind])/float64(iterations*count), phase+"-calls/"+kind)
	}
	b.ReportMetric(float64(p.byKind["other"])/float64(iterations), phase+"-other-calls")
}

// String lists the operations and their counts, sorted, for logs.
func (p *phaseCalls) String() string {
	var parts []string
	for _, op := range slices.Sorted(maps.Keys(p.byOp)) {
		parts = append(parts, fmt.Sprintf("%s=%d", op, p.byOp[op]))
	}
	return strings.Join(parts, " ")
}

// BenchmarkAPICalls counts the ncplocal calls of `tofu apply`, `tofu plan`
// (refresh) and `tofu destroy` of one ncp_vpc, 20 ncp_subnet and 2
// ncp_object_storage_bucket, the provider running as a plugin process, and
// reports them per resource and phase ("refresh-calls/subnet",
// "create-calls/vpc", "destroy-calls/bucket", ...; target: refresh = 1 call
// per resource). `tofu destroy` refreshes before it deletes, so the destroy
// counts include one refresh read per resource. ncplocal runs with
// AsyncDelay 0, so every waiter sees its
// target status on its first poll and the counts do not depend on timing
// (BenchmarkWaiterLag measures polling).
//
// A refresh that scans a list (getXList, ListBuckets, ListObjects) fails the
// benchmark: it is a correctness property (the cost of a refresh must not
// grow with what else the account holds), not a speed target.
func BenchmarkAPICalls(b *testing.B) {
	srv := ncplocal.StartTest(b, ncplocal.Options{AsyncDelay: 0})
	h := newTofuHarness(b, srv)
	dir := workspace(b, h, subnetsConfig("bench-calls", apiCallsSubnets, apiCallsBuckets))

	var create, refresh, destroy phaseCalls
	iterations, listCalls := 0, 0
	for b.Loop() {
		srv.ResetCalls()
		h.Apply(b, dir)
		create.add(srv.Calls())

		srv.ResetCalls()
		h.PlanEmpty(b, dir)
		calls := srv.Calls()
		refresh.add(calls)
		for op, n := range calls {
			if listScan.MatchString(op) {
				listCalls += n
				b.Errorf("refresh made %d list call(s) %s: a refresh must read each object by its ID", n, op)
			}
		}

		srv.ResetCalls()
		h.Destroy(b, dir)
		destroy.add(srv.Calls())
		if inv := takeInventory(b, srv); inv.Vpcs+inv.Subnets+inv.Buckets != 0 {
			b.Fatalf("destroy left %+v in ncplocal", inv)
		}
		iterations++
	}
	if b.Failed() {
		b.FailNow()
	}
	b.Logf("apply:   %v", &create)
	b.Logf("plan:    %v", &refresh)
	b.Logf("destroy: %v", &destroy)
	create.report(b, "create", iterations)
	refresh.report(b, "refresh", iterations)
	destroy.report(b, "destroy", iterations)
	b.ReportMetric(float64(listCalls)/float64(iterations), "refresh-list-calls")
}
