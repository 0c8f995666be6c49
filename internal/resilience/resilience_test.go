// Package resilience_test applies the whole video pipeline example while
// ncplocal fails a large share of all requests, and checks that OpenTofu's
// view (the state) and the emulator's view (its inventory) still agree: no
// duplicate created by a retried create, no orphan left behind by a create
// whose answer was lost, and a clean destroy.
package resilience_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
	gewire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// faultRate is the share of requests (every path but the admin API) that
// ncplocal answers with a fault.
const faultRate = 0.3

// busyRate is the share of subnet creates and deletes that ncplocal answers,
// before the rules below, with VPC's own "please try again" (1001015 or
// 3000, the "service" fault kind), as NCP does while another subnet of the
// VPC is changing state: the client core retries those a few times, and the
// resource goes on until its timeout (reconcile.Busy).
const busyRate = 0.6

// faultSeed makes the fault draws reproducible for a given request order
// (the order still varies with OpenTofu's parallelism).
const faultSeed = 20260701

// Retry settings of the provider under test, and why 30% faults on every
// call of the example's 16 resources (about 400 requests for apply,
// refreshes, the second plan and destroy) do not make the run fail.
//
// A request that may be resent (a read, a 429, a "try again" code, or a
// connection that failed before sending) fails for good only when all
// maxRetries+1 = 13 attempts draw a fault: 0.3^13 ≈ 1.6e-7, below 1e-4 for
// the whole run. The "try again" codes are VPC's 1001015/3000 and Cloud
// Functions' 80031 (the client retries them like a 429; RetryableCodes).
// VOD Station and Object Storage register no such answer, so the "service"
// kind passes there. Global Edge documents no "try again" code: ncplocal's
// "service" answer for it is 9999 Unknown Error (HTTP 500), which the
// client rightly does not retry, so the Global Edge rule draws only 429,
// 503 and resets.
//
// Creates, deletes and state changes answered with 503 or a dropped
// connection are not resent by the client core (nothing tells whether they
// were done); the resources decide them by looking up, and the look-ups are
// retried as above:
//
//   - creates by unique key (reconcile.CreateReconciled): VPC and subnet
//     (name, block), bucket (name; S3's 503 SlowDown too), VOD Station
//     category and channel (name), Global Edge profile (name);
//   - Cloud Functions package, action, sequence and trigger are PUT by
//     name after a check that the name is free, and the client resends a
//     PUT like a read: sent again it only writes the same object; trigger
//     links and unlinks are decided by the trigger's links; the bucket
//     event rule is a PUT of the bucket's whole notification configuration,
//     and force_destroy's DeleteObjects is resent too (deleting keys
//     already gone succeeds);
//   - deletes decided by the object's status or a look-up
//     (reconcile.DeleteReconciled and the like): VPC, subnet, channel (stop,
//     then delete), the channel's edge (stop, then delete), profile, Cloud
//     Functions package, action, sequence and trigger; "not found" after an
//     uncertain attempt is done. A category's delete is an HTTP DELETE, which
//     the client resends like a read, "not found" meaning done.
//
// Each of those loops is bounded by the client's Attempts(), maxRetries+1 =
// 13 too, and ends in failure only when every attempt draws a fault that did
// nothing: for a gateway call 503 is a third or a quarter of the kinds (429
// and "service" answers are retried by the client), so 0.1^13 = 1e-13; for
// CreateBucket 0.2^13 ≈ 8e-10. The fixed seed makes runs with OpenTofu's
// usual request order reproducible; another interleaving of the concurrent
// creates draws differently, and passes as surely.
//
// The delays are small because ncplocal answers in microseconds: a
// 13-attempt backoff capped at retryMaxDelay takes at most about 0.2 s.
const (
	maxRetries    = 12
	retryMinDelay = time.Millisecond
	retryMaxDelay = 20 * time.Millisecond
)

// The example's module, as the state names it.
const module = "pipeline"

// TestAccResilience_faults applies examples/video-pipeline exactly as the
// repository holds it (root configuration and modules/vod-pipeline: VPC,
// subnet, two buckets, a bucket event, a VOD Station category, a Global
// Edge profile, a channel with its CDN edge, a Cloud Functions package, two
// actions, a sequence and a trigger linked to it) while 30% of all requests
// fail with 429, 503, a connection reset or the service's own "please try
// again" (and 60% of the subnet creates and deletes with the latter
// first). It then checks that the emulator holds exactly what the state
// says, that a second plan is empty, and that destroy removes everything.
//
// The CLI (OpenTofu, or Terraform) runs as its own process on a copy of the
// example, the provider is served from the test (acctest.ServeProvider).
// No video is uploaded, so no encoding job runs: the encoder ncplocal picks
// does not matter here.
func TestAccResilience_faults(t *testing.T) {
	acctest.SkipOnNCP(t, "ncplocal injects the faults and its inventory is compared with the state")
	testFaults(t, faultSeed)
}

// testFaults runs the test of TestAccResilience_faults with the faults
// drawn from seed.
func testFaults(t *testing.T, seed int64) {
	var served faultLog
	srv := acctest.StartServer(t, func(o *ncplocal.Options) { o.RequestLog = served.record })
	all := []string{ncplocal.FaultRateLimit, ncplocal.FaultUnavailable, ncplocal.FaultReset, ncplocal.FaultService}
	faults := []ncplocal.FaultRule{{
		Pattern: "^/vpc/v2/(createSubnet|deleteSubnet)$",
		Rate:    busyRate,
		Kinds:   []string{ncplocal.FaultService},
		Seed:    seed,
	}, {
		Pattern: "^" + gewire.PathPrefix + "/",
		Rate:    faultRate,
		Kinds:   []string{ncplocal.FaultRateLimit, ncplocal.FaultUnavailable, ncplocal.FaultReset},
		Seed:    seed,
	}, {
		Pattern: notUnder(gewire.PathPrefix + "/"),
		Rate:    faultRate,
		Kinds:   all,
		Seed:    seed,
	}}
	if err := srv.SetFaults(faults); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, injected := srv.Faults()
		t.Logf("ncplocal injected %d faults", injected)
	})

	p := acctest.ServeProvider(t, srv, provider.WithClientConfig(func(c *client.Config) {
		c.MaxRetries = maxRetries
		c.RetryMinDelay = retryMinDelay
		c.RetryMaxDelay = retryMaxDelay
	}))
	h, dir := exampleRun(t, srv, p)

	h.MustRun(t, dir, nil, "init", "-input=false", "-no-color")
	h.Apply(t, dir)
	applied := state(t, h, dir)
	for _, check := range []func(*tfState) error{
		checkFaultsInjected(srv),
		served.check(ncplocal.FaultService, "/vpc/v2/createSubnet"),
		checkInventoryMatchesState(srv),
	} {
		if err := check(applied); err != nil {
			t.Fatal(err)
		}
	}
	// A second plan, refresh included, still under faults, is empty.
	h.PlanEmpty(t, dir)

	h.Destroy(t, dir)
	destroyed := state(t, h, dir)
	for _, check := range []func(*tfState) error{
		checkNothingLeft(srv),
		served.check(ncplocal.FaultService, "/vpc/v2/createSubnet", "/vpc/v2/deleteSubnet"),
		served.checkServices(),
	} {
		if err := check(destroyed); err != nil {
			t.Error(err)
		}
	}
}

// notUnder returns a pattern matching every path that does not start with
// prefix (Go's regular expressions have no negative look-ahead): the rules
// are tried in order and the first that fires decides, so a catch-all rule
// would otherwise draw again the requests the rule before let through.
func notUnder(prefix string) string {
	var alts []string
	for i := range len(prefix) {
		head := regexp.QuoteMeta(prefix[:i])
		alts = append(alts, head+"$", head+"[^"+regexp.QuoteMeta(prefix[i:i+1])+"]")
	}
	return "^(" + strings.Join(alts, "|") + ")"
}

// exampleRun copies examples/video-pipeline, exactly as the repository
// holds it (root configuration and module), and returns a harness that runs
// the acceptance tests' CLI (OpenTofu, or Terraform) there with the
// provider p, and the copy's directory.
//
// terraform-plugin-testing cannot apply the example: it reads the state
// into its legacy form, which has no modules, even to destroy what a test
// made.
func exampleRun(t *testing.T, srv *ncplocal.Server, p *acctest.Served) (*tofucli.Harness, string) {
	t.Helper()
	cli := acctest.CLI(t)
	dir := tofucli.CopyTree(t, filepath.Join(tofucli.RepoRoot(t), "examples", "video-pipeline"))
	// The module reads its action code from "${path.module}/functions/...",
	// which the CLI passes on as ".terraform/modules/pipeline/functions/...",
	// relative to its working directory: a plugin process runs there, and
	// so does the test, which serves the provider.
	t.Chdir(dir)
	return tofucli.NewServed(t, cli, map[string]string{
		"TF_REATTACH_PROVIDERS": p.Reattach,
		"TF_CLI_CONFIG_FILE":    os.Getenv("TF_CLI_CONFIG_FILE"),
		// The variables `make demo` sets.
		"TF_VAR_vod_api_url":     srv.URL(),
		"TF_VAR_player_base_url": srv.URL(),
		"TF_VAR_access_key":      ncplocal.DefaultCredential.AccessKey,
		"TF_VAR_secret_key":      ncplocal.DefaultCredential.SecretKey,
	}), dir
}

// tfState is what `show -json` says of the state: the resources of the
// example's module, by address within the module ("ncp_vpc.this").
type tfState struct {
	resources map[string]map[string]any
}

// state reads the state with `show -json`.
func state(t *testing.T, h *tofucli.Harness, dir string) *tfState {
	t.Helper()
	out, _ := h.MustRun(t, dir, nil, "show", "-json", "-no-color")
	var shown struct {
		Values struct {
			RootModule struct {
				ChildModules []struct {
					Address   string `json:"address"`
					Resources []struct {
						Address string         `json:"address"`
						Values  map[string]any `json:"values"`
					} `json:"resources"`
				} `json:"child_modules"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &shown); err != nil {
		t.Fatalf("show -json: %v\n%s", err, out)
	}
	s := &tfState{resources: map[string]map[string]any{}}
	for _, m := range shown.Values.RootModule.ChildModules {
		for _, res := range m.Resources {
			s.resources[strings.TrimPrefix(res.Address, m.Address+".")] = res.Values
		}
	}
	return s
}

// checkFaultsInjected makes sure the faults really happened: without them
// the test would prove nothing.
func checkFaultsInjected(srv *ncplocal.Server) func(*tfState) error {
	return func(*tfState) error {
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
func (l *faultLog) check(kind string, paths ...string) func(*tfState) error {
	return func(*tfState) error {
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

// servicePaths tells the services apart by path: the gateway services by
// prefix, Object Storage by what is left.
var servicePaths = map[string]string{
	"VPC":             "/vpc/v2/",
	"VOD Station":     "/api/v2/",
	"Global Edge":     gewire.PathPrefix + "/",
	"Cloud Functions": "/ncf/api/v2/",
}

// checkServices fails unless every service the example uses got faults:
// both a create or a state change (a POST or PUT path, counted by path) and
// reads went through faults in each.
func (l *faultLog) checkServices() func(*tfState) error {
	return func(*tfState) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		count := map[string]int{}
		for p, kinds := range l.faults {
			svc := "Object Storage"
			for name, prefix := range servicePaths {
				if strings.HasPrefix(p, prefix) {
					svc = name
				}
			}
			for _, n := range kinds {
				count[svc] += n
			}
		}
		for _, svc := range []string{"VPC", "VOD Station", "Global Edge", "Cloud Functions", "Object Storage"} {
			if count[svc] == 0 {
				return fmt.Errorf("ncplocal injected no fault into %s (faults per service: %v)", svc, count)
			}
		}
		return nil
	}
}

// attrs reads attributes of the module's resources; the first missing one
// is its error.
type attrs struct {
	s   *tfState
	err error
}

func (a *attrs) get(name, attr string) string {
	if a.err != nil {
		return ""
	}
	values, ok := a.s.resources[name]
	if !ok {
		a.err = fmt.Errorf("module.%s.%s is not in the state", module, name)
		return ""
	}
	var v string
	switch x := values[attr].(type) {
	case string:
		v = x
	case float64:
		v = strconv.FormatFloat(x, 'f', -1, 64)
	}
	if v == "" {
		a.err = fmt.Errorf("module.%s.%s has no %s in the state", module, name, attr)
	}
	return v
}

// inventory is what ncplocal holds for the test's account, per service.
type inventory struct {
	vpc struct {
		Vpcs    []wire.Vpc    `json:"vpcs"`
		Subnets []wire.Subnet `json:"subnets"`
	}
	storage   objectstorage.Inventory
	vod       vodstation.Inventory
	edge      globaledge.Inventory
	functions cloudfunctions.Inventory
	// services lists the services holding anything in the account.
	services []string
}

// readInventory decodes the inventories of the default account.
func readInventory(srv *ncplocal.Server) (inventory, error) {
	account := ncplocal.DefaultCredential.AccountID
	var inv inventory
	for svc, out := range map[string]any{
		"vpc": &inv.vpc, "objectstorage": &inv.storage, "vodstation": &inv.vod,
		"globaledge": &inv.edge, "cloudfunctions": &inv.functions,
	} {
		if _, err := acctest.DecodeInventory(srv, account, svc, out); err != nil {
			return inventory{}, err
		}
	}
	for svc := range srv.Inventory().Accounts[account] {
		inv.services = append(inv.services, svc)
	}
	slices.Sort(inv.services)
	return inv, nil
}

// same reports whether got holds exactly want's elements (in any order).
func same(got, want []string) bool {
	got, want = slices.Clone(got), slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	return slices.Equal(got, want)
}

// checkInventoryMatchesState compares ncplocal's inventory with the state,
// object type by object type: exactly the state's VPC and subnet, buckets,
// event rule, category (and no custom encoding option, the example uses
// system ones), channel, profile and the channel's edge in it, package,
// actions and sequence, trigger and its one link. A create that was done
// twice (a duplicate) or whose object was lost track of (an orphan) shows
// up as an extra object.
func checkInventoryMatchesState(srv *ncplocal.Server) func(*tfState) error {
	return func(s *tfState) error {
		a := &attrs{s: s}
		vpcNo := a.get("ncp_vpc.this", "vpc_no")
		subnetNo := a.get("ncp_subnet.private", "id")
		upload := a.get("ncp_object_storage_bucket.upload", "bucket_name")
		output := a.get("ncp_object_storage_bucket.output", "bucket_name")
		rule := a.get("ncp_object_storage_bucket_event.upload", "name")
		category := a.get("ncp_vod_category.this", "id")
		channel := a.get("ncp_vod_channel.this", "id")
		edge := a.get("ncp_vod_channel.this", "cdn_edge_id")
		profile := a.get("ncp_global_edge_profile.this", "id")
		pkg := a.get("ncp_cloud_functions_package.this", "name")
		actions := []string{
			pkg + "/" + a.get("ncp_cloud_functions_action.find_category", "name"),
			pkg + "/" + a.get("ncp_cloud_functions_action.add_files", "name"),
			pkg + "/" + a.get("ncp_cloud_functions_sequence.encode", "name"),
		}
		trigger := a.get("ncp_cloud_functions_trigger.upload", "name")
		if a.err != nil {
			return a.err
		}

		inv, err := readInventory(srv)
		if err != nil {
			return err
		}
		var problems []string
		fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
		if v := inv.vpc.Vpcs; len(v) != 1 || v[0].VpcNo != vpcNo {
			fail("VPCs %+v, want exactly the state's VPC %s", v, vpcNo)
		}
		if n := inv.vpc.Subnets; len(n) != 1 || n[0].SubnetNo != subnetNo || n[0].VpcNo != vpcNo {
			fail("subnets %+v, want exactly the state's subnet %s in VPC %s", n, subnetNo, vpcNo)
		}
		var buckets []string
		for _, b := range inv.storage.Buckets {
			buckets = append(buckets, b.Name)
			want := []string(nil)
			if b.Name == upload {
				want = []string{rule}
			}
			if !slices.Equal(b.EventRules, want) {
				fail("bucket %s has event rules %q, want %q", b.Name, b.EventRules, want)
			}
		}
		if !same(buckets, []string{upload, output}) {
			fail("buckets %q, want exactly the state's %q and %q", buckets, upload, output)
		}
		if c := inv.vod.Categories; len(c) != 1 || strconv.FormatInt(c[0].ID, 10) != category {
			fail("VOD Station categories %+v, want exactly the state's category %s", c, category)
		}
		if o := inv.vod.EncodingOptions; len(o) != 0 {
			fail("custom encoding options %+v, want none (the example uses system options)", o)
		}
		if c := inv.vod.Channels; len(c) != 1 || c[0].ID != channel || c[0].CdnEdgeID == nil || strconv.FormatInt(*c[0].CdnEdgeID, 10) != edge {
			fail("VOD Station channels %+v, want exactly the state's channel %s with edge %s", c, channel, edge)
		}
		if p := inv.edge.Profiles; len(p) != 1 || strconv.FormatInt(p[0].ID, 10) != profile {
			fail("Global Edge profiles %+v, want exactly the state's profile %s", p, profile)
		}
		if e := inv.edge.Edges; len(e) != 1 || strconv.FormatInt(e[0].ID, 10) != edge ||
			strconv.FormatInt(e[0].ProfileID, 10) != profile || e[0].StatusType != gewire.StatusRunning {
			fail("Global Edge edges %+v, want exactly the channel's edge %s, RUNNING in profile %s", e, edge, profile)
		}
		f := inv.functions
		if !slices.Equal(f.Packages, []string{pkg}) {
			fail("Cloud Functions packages %q, want exactly %q", f.Packages, pkg)
		}
		if !same(f.Actions, actions) {
			fail("Cloud Functions actions and sequences %q, want exactly %q", f.Actions, actions)
		}
		if !slices.Equal(f.Triggers, []string{trigger}) {
			fail("Cloud Functions triggers %q, want exactly %q", f.Triggers, trigger)
		}
		if want := []string{trigger + " -> " + actions[2]}; !slices.Equal(f.Links, want) {
			fail("trigger links %q, want exactly %q", f.Links, want)
		}
		if len(problems) > 0 {
			return fmt.Errorf("ncplocal does not hold what the state says:\n  %s", strings.Join(problems, "\n  "))
		}
		return nil
	}
}

// checkNothingLeft is the CheckDestroy: the account holds nothing in any
// service.
func checkNothingLeft(srv *ncplocal.Server) func(*tfState) error {
	return func(*tfState) error {
		inv, err := readInventory(srv)
		if err != nil {
			return err
		}
		if len(inv.services) != 0 {
			return fmt.Errorf("destroy left objects in %q: %+v", inv.services, srv.Inventory().Accounts[ncplocal.DefaultCredential.AccountID])
		}
		return nil
	}
}

// TestNotUnder checks the pattern of the catch-all fault rule: every path
// but Global Edge's.
func TestNotUnder(t *testing.T) {
	re := regexp.MustCompile(notUnder(gewire.PathPrefix + "/"))
	for path, want := range map[string]bool{
		"/api/v1/profiles": false, "/api/v1/": false,
		"/api/v1": true, "/api": true, "/": true, "/api/v2/channels": true, "/vpc/v2/createVpc": true,
		"/ncf/api/v2/packages": true, "/video-upload-demo": true, "/api/v10/x": true,
	} {
		if got := re.MatchString(path); got != want {
			t.Errorf("%s: matched = %v, want %v", path, got, want)
		}
	}
}
