// Package resilience_test applies the demo configuration while ncplocal
// fails a large share of all requests, and checks that OpenTofu's view
// (the state) and the emulator's view (its inventory) still agree: no
// duplicate created by a retried create, no orphan left behind by a create
// whose answer was lost, and a clean destroy.
package resilience_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// faultRate is the share of requests (every path but the admin API) that
// ncplocal answers with a fault.
const faultRate = 0.3

// busyRate is the share of subnet creates and deletes that ncplocal answers,
// before the rule above, with VPC's own "please try again" (1001015 or
// 3000, the "service" fault kind), as NCP does while another subnet of the
// VPC is changing state: the client core retries those a few times, and the
// resource goes on until its timeout (reconcile.Busy).
const busyRate = 0.6

// faultSeed makes the fault draws reproducible for a given request order
// (the order still varies with OpenTofu's parallelism).
const faultSeed = 20260701

// Retry settings of the provider under test.
//
// A request that may be resent (a read, a 429, or a connection that failed
// before sending) fails for good only when all maxRetries+1 = 13 attempts
// draw a fault: 0.3^13 ≈ 1.6e-7. The test sends about a hundred requests,
// so the chance that retries run out anywhere is below 1e-4.
//
// The "service" kind (VPC's 1001015/3000) is retried like a 429; Object
// Storage registers no such answer, so it passes there.
//
// Creates and deletes answered with 503 or a dropped connection are not
// resent by the client core (nothing tells whether they were done); the
// resources reconcile them (reconcile.CreateReconciled and DeleteReconciled:
// look the object up, adopt it or create again; treat "already gone" as
// deleted), and the reads they reconcile with are retried as above. That
// loop is bounded by the client's Attempts(), maxRetries+1 = 13 attempts
// too, so a create or delete fails only when all 13 draw a fault that did
// nothing: 0.075^13 ≈ 2.4e-15 for a VPC API call (429 and service answers
// are retried, 503 is a quarter of the faults), 0.2^13 ≈ 8e-10 for
// CreateBucket (S3 throttles with 503
// SlowDown, which the client treats as ambiguous too). The fixed seed makes
// runs with OpenTofu's usual request order reproducible; another
// interleaving of the concurrent creates draws differently, and passes as
// surely.
//
// The delays are small because ncplocal answers in microseconds: a
// 13-attempt backoff capped at retryMaxDelay takes at most about 0.2 s.
const (
	maxRetries    = 12
	retryMinDelay = time.Millisecond
	retryMaxDelay = 20 * time.Millisecond
)

// TestAccResilience_faults applies the demo configuration (a VPC, a private
// KR-2 subnet on the VPC's default network ACL and two force_destroy
// buckets) while 30% of all requests fail with 429, 503, a connection
// reset or the service's own "please try again" (and 60% of the subnet
// creates and deletes with the latter first), then checks that the emulator holds exactly what the state says,
// that a second plan is empty, and that destroy removes everything.
func TestAccResilience_faults(t *testing.T) {
	acctest.SkipOnNCP(t, "ncplocal injects the faults and its inventory is compared with the state")
	testFaults(t, faultSeed)
}

// testFaults runs the test of TestAccResilience_faults with the faults
// drawn from seed.
func testFaults(t *testing.T, seed int64) {
	var served faultLog
	srv := acctest.StartServer(t, func(o *ncplocal.Options) { o.RequestLog = served.record })
	err := srv.SetFaults([]ncplocal.FaultRule{{
		Pattern: "^/vpc/v2/(createSubnet|deleteSubnet)$",
		Rate:    busyRate,
		Kinds:   []string{ncplocal.FaultService},
		Seed:    seed,
	}, {
		Pattern: ".*",
		Rate:    faultRate,
		Kinds:   []string{ncplocal.FaultRateLimit, ncplocal.FaultUnavailable, ncplocal.FaultReset, ncplocal.FaultService},
		Seed:    seed,
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, injected := srv.Faults()
		t.Logf("ncplocal injected %d faults", injected)
	})

	prefix := acctest.RandName("tf-res")
	config := demoConfig(prefix)
	resource.Test(t, resource.TestCase{
		PreCheck: func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactories(srv, provider.WithClientConfig(func(c *client.Config) {
			c.MaxRetries = maxRetries
			c.RetryMinDelay = retryMinDelay
			c.RetryMaxDelay = retryMaxDelay
		})),
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			checkNothingLeft(srv),
			served.check(ncplocal.FaultService, "/vpc/v2/createSubnet", "/vpc/v2/deleteSubnet"),
		),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkFaultsInjected(srv),
					served.check(ncplocal.FaultService, "/vpc/v2/createSubnet"),
					checkInventoryMatchesState(srv, prefix),
				),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// A second plan, refresh included, still under faults.
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

// demoConfig is the demo configuration (examples/video-pipeline) with names
// starting with prefix.
func demoConfig(prefix string) string {
	return fmt.Sprintf(`
resource "ncp_vpc" "this" {
  name            = "%[1]s-vpc"
  ipv4_cidr_block = "10.10.0.0/16"
}

resource "ncp_subnet" "private" {
  vpc_no         = ncp_vpc.this.vpc_no
  subnet         = "10.10.1.0/24"
  zone           = "KR-2"
  network_acl_no = ncp_vpc.this.default_network_acl_no
  subnet_type    = "PRIVATE"
  usage_type     = "GEN"
  name           = "%[1]s-private"
}

resource "ncp_object_storage_bucket" "upload" {
  bucket_name   = "%[1]s-upload"
  force_destroy = true
}

resource "ncp_object_storage_bucket" "output" {
  bucket_name   = "%[1]s-output"
  force_destroy = true
}
`, prefix)
}

// inventory is what ncplocal holds for the test's account.
type inventory struct {
	Vpcs    []wire.Vpc
	Subnets []wire.Subnet
	Buckets []string
}

// readInventory decodes the VPC and Object Storage inventories of the
// default account.
func readInventory(srv *ncplocal.Server) (inventory, error) {
	account := ncplocal.DefaultCredential.AccountID
	var network struct {
		Vpcs    []wire.Vpc    `json:"vpcs"`
		Subnets []wire.Subnet `json:"subnets"`
	}
	var storage struct {
		Buckets []struct {
			Name string `json:"name"`
		} `json:"buckets"`
	}
	if _, err := acctest.DecodeInventory(srv, account, "vpc", &network); err != nil {
		return inventory{}, err
	}
	if _, err := acctest.DecodeInventory(srv, account, "objectstorage", &storage); err != nil {
		return inventory{}, err
	}
	inv := inventory{Vpcs: network.Vpcs, Subnets: network.Subnets}
	for _, b := range storage.Buckets {
		inv.Buckets = append(inv.Buckets, b.Name)
	}
	slices.Sort(inv.Buckets)
	return inv, nil
}

// checkFaultsInjected makes sure the faults really happened: without them
// the test would prove nothing.
func checkFaultsInjected(srv *ncplocal.Server) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if _, injected := srv.Faults(); injected == 0 {
			return fmt.Errorf("ncplocal injected no fault while applying")
		}
		return nil
	}
}

// faultLog records the faults ncplocal injected, per path and kind.
type faultLog struct {
	mu     sync.Mutex
	faults map[string]map[string]int
}

func (l *faultLog) record(i ncplocal.RequestInfo) {
	if i.Fault == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.faults == nil {
		l.faults = map[string]map[string]int{}
	}
	if l.faults[i.Path] == nil {
		l.faults[i.Path] = map[string]int{}
	}
	l.faults[i.Path][i.Fault]++
}

// check fails unless every path in paths got a fault of kind: the provider
// went through it.
func (l *faultLog) check(kind string, paths ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		for _, p := range paths {
			if l.faults[p][kind] == 0 {
				return fmt.Errorf("ncplocal injected no %q fault into %s (faults: %v)", kind, p, l.faults)
			}
		}
		return nil
	}
}

// attribute returns an attribute of a resource in the state.
func attribute(s *terraform.State, name, attr string) (string, error) {
	rs, ok := s.RootModule().Resources[name]
	if !ok {
		return "", fmt.Errorf("%s is not in the state", name)
	}
	v, ok := rs.Primary.Attributes[attr]
	if !ok || v == "" {
		return "", fmt.Errorf("%s has no %s in the state", name, attr)
	}
	return v, nil
}

// checkInventoryMatchesState compares ncplocal's inventory with the state:
// exactly one VPC, the state's; exactly one subnet, the state's, in that
// VPC; exactly the two buckets of the state. A create that was done twice
// (a duplicate) or whose object was lost track of (an orphan) shows up as
// an extra object.
func checkInventoryMatchesState(srv *ncplocal.Server, prefix string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		vpcNo, err := attribute(s, "ncp_vpc.this", "vpc_no")
		if err != nil {
			return err
		}
		subnetNo, err := attribute(s, "ncp_subnet.private", "id")
		if err != nil {
			return err
		}
		var buckets []string
		for _, name := range []string{"ncp_object_storage_bucket.output", "ncp_object_storage_bucket.upload"} {
			b, err := attribute(s, name, "bucket_name")
			if err != nil {
				return err
			}
			buckets = append(buckets, b)
		}
		slices.Sort(buckets)

		inv, err := readInventory(srv)
		if err != nil {
			return err
		}
		if len(inv.Vpcs) != 1 || inv.Vpcs[0].VpcNo != vpcNo || inv.Vpcs[0].VpcName != prefix+"-vpc" {
			return fmt.Errorf("ncplocal holds VPCs %+v, want exactly the state's VPC %s (%s-vpc)", inv.Vpcs, vpcNo, prefix)
		}
		if len(inv.Subnets) != 1 || inv.Subnets[0].SubnetNo != subnetNo || inv.Subnets[0].VpcNo != vpcNo {
			return fmt.Errorf("ncplocal holds subnets %+v, want exactly the state's subnet %s in VPC %s", inv.Subnets, subnetNo, vpcNo)
		}
		if !slices.Equal(inv.Buckets, buckets) {
			return fmt.Errorf("ncplocal holds buckets %q, want exactly the state's %q", inv.Buckets, buckets)
		}
		return nil
	}
}

// checkNothingLeft is the CheckDestroy: no VPC, subnet or bucket remains.
func checkNothingLeft(srv *ncplocal.Server) resource.TestCheckFunc {
	return func(*terraform.State) error {
		inv, err := readInventory(srv)
		if err != nil {
			return err
		}
		if len(inv.Vpcs) != 0 || len(inv.Subnets) != 0 || len(inv.Buckets) != 0 {
			return fmt.Errorf("destroy left VPCs %+v, subnets %+v, buckets %q in ncplocal", inv.Vpcs, inv.Subnets, inv.Buckets)
		}
		return nil
	}
}
