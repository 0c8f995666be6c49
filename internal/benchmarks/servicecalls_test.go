package benchmarks_test

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	cflocal "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cloudfunctions"
	gelocal "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/globaledge"
	vodlocal "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vodstation"
	vodwire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// serviceCallsCount is how many instances of each resource type the
// configuration of BenchmarkServiceCalls holds: more than one, so that a
// refresh whose cost grows with the other objects of the account (a list
// scan shared by all instances) cannot pass as one call per resource.
const serviceCallsCount = 2

// serviceTypes are the resource types of VOD Station, Global Edge, Cloud
// Functions and bucket events whose refresh BenchmarkServiceCalls counts,
// in the order of the README table.
var serviceTypes = []string{
	"ncp_vod_category",
	"ncp_vod_channel",
	"ncp_vod_encoding_option",
	"ncp_global_edge_profile",
	"ncp_global_edge_cdn",
	"ncp_cloud_functions_package",
	"ncp_cloud_functions_action",
	"ncp_cloud_functions_sequence",
	"ncp_cloud_functions_trigger",
	"ncp_object_storage_bucket_event",
}

// refreshBudget is the most API calls one refresh of a resource of each type
// may take. One call for every type, except:
//
//   - ncp_global_edge_cdn: two. NCP's edge get (GET /api/v1/cdn-edge/{id})
//     answers the configuration without the status, which only
//     GET /api/v1/cdn-edges/{id}/status gives (ncp-api.md §3.3, §3.4); the
//     resource needs both (status, and a DELETING edge counts as gone). The
//     profile's edge list carries the status but not the configuration.
//
// ncp_global_edge_profile's one call is a list call: Global Edge has no
// single-profile GET (§3.1); see listAllowed.
var refreshBudget = map[string]int{"ncp_global_edge_cdn": 2}

// listAllowed are the list operations a refresh may use because NCP offers
// no single-item GET for what it reads.
var listAllowed = map[string]string{
	"globaledge:getProfileList": "Global Edge has no single-profile GET (ncp-api.md §3.1)",
}

// serviceListScan matches the operations that scan a collection: getXList
// of the gateway APIs, listX of Cloud Functions, ListBuckets and the object
// listings of Object Storage.
var serviceListScan = regexp.MustCompile(`^[a-z]+:(get\w*List|list\w+|ListBuckets|ListObjects\w*)$`)

// serviceCallsPrefix starts every name of the configuration.
const serviceCallsPrefix = "bench-svc"

// serviceCallsConfig holds n resources of each type of serviceTypes, with
// the buckets they need and networkConfig's VPC and subnet for the actions:
// channels with a Global Edge CDN, categories writing to the output
// buckets, edges serving them, and per package an action, a sequence
// running it and an object_storage trigger on a bucket event, linked to
// the sequence.
func serviceCallsConfig(n int) string {
	return configHeader + networkConfig("ncp", serviceCallsPrefix, 1) + fmt.Sprintf(`
locals {
  p = %[1]q
  n = %[2]d
}

resource "ncp_object_storage_bucket" "output" {
  count         = local.n
  bucket_name   = "${local.p}-out-${count.index}"
  force_destroy = true
}

resource "ncp_object_storage_bucket" "upload" {
  count         = local.n
  bucket_name   = "${local.p}-up-${count.index}"
  force_destroy = true
}

resource "ncp_vod_encoding_option" "bench" {
  count = local.n
  name  = "bench_opt_${count.index}"

  video = {
    codec        = "AVC"
    profile      = "HIGH"
    bitrate      = 2500
    width        = 1280
    height       = 720
    framerate    = 30
    rate_control = "VBR"
  }

  audio = {
    codec         = "AAC"
    channel       = "2"
    bitrate       = 128
    sampling_rate = 48000
  }
}

resource "ncp_vod_category" "bench" {
  count                = local.n
  name                 = "${local.p}-cat-${count.index}"
  encoding_template_id = 1
  thumbnail            = false

  output = {
    bucket_name    = ncp_object_storage_bucket.output[count.index].bucket_name
    file_path      = "/vod"
    access_control = "PRIVATE"
  }
}

resource "ncp_global_edge_profile" "bench" {
  count = local.n
  name  = "${local.p}-profile-${count.index}"
}

resource "ncp_vod_channel" "bench" {
  count                = local.n
  name                 = "${local.p}-ch-${count.index}"
  storage_bucket_name  = ncp_object_storage_bucket.output[count.index].bucket_name
  protocols            = ["HLS"]
  segment_duration     = 5
  access_private_files = true

  cdn = {
    profile_id  = ncp_global_edge_profile.bench[count.index].id
    region_type = "KOREA"
  }
}

resource "ncp_global_edge_cdn" "bench" {
  count       = local.n
  profile_id  = ncp_global_edge_profile.bench[count.index].id
  name        = "${local.p}-edge-${count.index}"
  region_type = "KOREA"

  origin {
    bucket_name = ncp_object_storage_bucket.output[count.index].bucket_name
    region      = "KR"
  }
}

resource "ncp_object_storage_bucket_event" "bench" {
  count       = local.n
  bucket_name = ncp_object_storage_bucket.upload[count.index].bucket_name
  name        = "${local.p}-rule-${count.index}"
  events      = ["s3:ObjectCreated:*"]
  suffix      = ".mp4"
}

resource "ncp_cloud_functions_package" "bench" {
  count = local.n
  name  = "${local.p}-pkg-${count.index}"
  parameters = {
    REGION = "KR"
  }
}

resource "ncp_cloud_functions_action" "bench" {
  count   = local.n
  package = ncp_cloud_functions_package.bench[count.index].name
  name    = "${local.p}-action-${count.index}"
  runtime = "python:3.13"
  code    = "def main(args):\n    return args\n"

  vpc {
    vpc_no    = ncp_vpc.bench.vpc_no
    subnet_no = ncp_subnet.bench[0].subnet_no
  }
}

resource "ncp_cloud_functions_sequence" "bench" {
  count   = local.n
  package = ncp_cloud_functions_package.bench[count.index].name
  name    = "${local.p}-seq-${count.index}"
  actions = [ncp_cloud_functions_action.bench[count.index].id]
}

resource "ncp_cloud_functions_trigger" "bench" {
  count = local.n
  name  = "${local.p}-trigger-${count.index}"
  type  = "object_storage"

  object_storage {
    bucket_name     = ncp_object_storage_bucket_event.bench[count.index].bucket_name
    event_rule_name = ncp_object_storage_bucket_event.bench[count.index].name
  }

  actions = [ncp_cloud_functions_sequence.bench[count.index].id]
}
`, serviceCallsPrefix, n)
}

// sequencePath matches the Cloud Functions paths of the configuration's
// sequences: an action and a sequence are both actions to the API
// (getAction), told apart here by their names.
var sequencePath = regexp.MustCompile(`/actions/` + regexp.QuoteMeta(serviceCallsPrefix) + `-seq-\d+$`)

// serviceCallType attributes one served request to the resource type whose
// CRUD makes it, by its operation (and, for Cloud Functions' actions, its
// path); "" when it belongs to none of serviceTypes (the VPC, subnet and
// buckets, or the channels' own edges outside a refresh).
func serviceCallType(op, path string) string {
	svc, action, _ := strings.Cut(op, ":")
	switch svc {
	case "vodstation":
		switch {
		case strings.Contains(action, "Category"):
			return "ncp_vod_category"
		case strings.Contains(action, "Channel"):
			return "ncp_vod_channel"
		case strings.Contains(action, "EncodingOption"):
			return "ncp_vod_encoding_option"
		}
	case "globaledge":
		if strings.Contains(action, "Profile") {
			return "ncp_global_edge_profile"
		}
		return "ncp_global_edge_cdn"
	case "cloudfunctions":
		switch {
		case strings.Contains(action, "Package"):
			return "ncp_cloud_functions_package"
		case strings.Contains(action, "Trigger"), strings.Contains(action, "link"):
			return "ncp_cloud_functions_trigger"
		case strings.Contains(action, "Action") && sequencePath.MatchString(path):
			return "ncp_cloud_functions_sequence"
		case strings.Contains(action, "Action"):
			return "ncp_cloud_functions_action"
		}
	case "objectstorage":
		if strings.Contains(action, "BucketNotification") {
			return "ncp_object_storage_bucket_event"
		}
	}
	return ""
}

// requestRecorder keeps the requests ncplocal served (Options.RequestLog)
// that it counted as calls.
type requestRecorder struct {
	mu   sync.Mutex
	reqs []ncplocal.RequestInfo
}

func (r *requestRecorder) log(info ncplocal.RequestInfo) {
	if info.Op == "" { // admin requests and injected faults are not calls
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, info)
}

// take returns the recorded requests and forgets them.
func (r *requestRecorder) take() []ncplocal.RequestInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.reqs
	r.reqs = nil
	return out
}

// attribute sums reqs by resource type and by operation, after checking
// that they are exactly the calls ncplocal's counters hold (counted), so
// that every figure comes from the counters: the request log only tells an
// action's getAction from a sequence's.
func attribute(tb testing.TB, reqs []ncplocal.RequestInfo, counted map[string]int) (byType, byOp map[string]int) {
	tb.Helper()
	byType, byOp = map[string]int{}, map[string]int{}
	for _, r := range reqs {
		byType[serviceCallType(r.Op, r.Path)]++
		byOp[r.Op]++
	}
	if !maps.Equal(byOp, counted) {
		tb.Fatalf("the request log (%v) disagrees with ncplocal's call counters (%v)", byOp, counted)
	}
	return byType, byOp
}

// formatOps lists operation counts, sorted, for logs.
func formatOps(ops map[string]int) string {
	var parts []string
	for _, op := range slices.Sorted(maps.Keys(ops)) {
		parts = append(parts, fmt.Sprintf("%s=%d", op, ops[op]))
	}
	return strings.Join(parts, " ")
}

// BenchmarkServiceCalls counts the ncplocal calls of a refresh (`tofu
// plan`) of serviceCallsCount resources of every type of serviceTypes, the
// provider running as a plugin process, and reports them per resource as
// "refresh-calls/<type>" (target: 1; see refreshBudget and listAllowed for
// what NCP's API does not allow), with the list calls of the refresh as
// "refresh-list-calls" (target 0 beyond listAllowed) and, for information,
// all calls of the apply and destroy of the whole configuration
// ("apply-calls", "destroy-calls"). ncplocal runs with AsyncDelay 0, so the
// counts do not depend on timing (BenchmarkWaiterLag and
// BenchmarkServiceWaiterLag measure polling).
//
// A refresh above its budget, or a list call NCP does not force, fails the
// benchmark: the cost of a refresh must not grow with what else the
// account holds.
func BenchmarkServiceCalls(b *testing.B) {
	var rec requestRecorder
	srv := ncplocal.StartTest(b, ncplocal.Options{AsyncDelay: 0, RequestLog: rec.log})
	h := newTofuHarness(b, srv)
	dir := workspace(b, h, serviceCallsConfig(serviceCallsCount))

	refresh := map[string]int{}
	var applyCalls, destroyCalls, listCalls, iterations int
	var lastPlan, lastApply, lastDestroy map[string]int
	for b.Loop() {
		srv.ResetCalls()
		rec.take()
		h.Apply(b, dir)
		_, lastApply = attribute(b, rec.take(), srv.Calls())
		applyCalls += sum(lastApply)

		srv.ResetCalls()
		h.PlanEmpty(b, dir)
		byType, byOp := attribute(b, rec.take(), srv.Calls())
		lastPlan = byOp
		for t, n := range byType {
			refresh[t] += n
		}
		for op, n := range byOp {
			if _, ok := listAllowed[op]; ok || !serviceListScan.MatchString(op) {
				continue
			}
			listCalls += n
			b.Errorf("refresh made %d list call(s) %s: a refresh must read each object by its ID", n, op)
		}

		srv.ResetCalls()
		h.Destroy(b, dir)
		_, lastDestroy = attribute(b, rec.take(), srv.Calls())
		destroyCalls += sum(lastDestroy)
		if left := leftovers(b, srv); left != "" {
			b.Fatalf("destroy left %s in ncplocal", left)
		}
		iterations++
	}
	b.Logf("apply:   %s", formatOps(lastApply))
	b.Logf("plan:    %s", formatOps(lastPlan))
	b.Logf("destroy: %s", formatOps(lastDestroy))
	for _, t := range serviceTypes {
		perResource := float64(refresh[t]) / float64(iterations*serviceCallsCount)
		budget := 1
		if n, ok := refreshBudget[t]; ok {
			budget = n
		}
		if perResource > float64(budget) {
			b.Errorf("a refresh of %s takes %.2f calls, more than its budget of %d", t, perResource, budget)
		}
		if perResource == 0 {
			b.Errorf("a refresh of %s made no call: the counts are not attributed to it", t)
		}
		b.ReportMetric(perResource, "refresh-calls/"+t)
	}
	b.ReportMetric(float64(listCalls)/float64(iterations), "refresh-list-calls")
	b.ReportMetric(float64(applyCalls)/float64(iterations), "apply-calls")
	b.ReportMetric(float64(destroyCalls)/float64(iterations), "destroy-calls")
}

// leftovers describes what ncplocal still holds for the default account
// among the objects the benchmarks create (VPCs, subnets, buckets, VOD
// Station categories, custom encoding options and channels, Global Edge
// profiles and edges, Cloud Functions packages, actions and triggers); ""
// when nothing.
func leftovers(tb testing.TB, srv *ncplocal.Server) string {
	tb.Helper()
	account := ncplocal.DefaultCredential.AccountID
	inv := takeInventory(tb, srv)
	var vod vodlocal.Inventory
	var edge gelocal.Inventory
	var functions cflocal.Inventory
	for svc, out := range map[string]any{"vodstation": &vod, "globaledge": &edge, "cloudfunctions": &functions} {
		if _, err := acctest.DecodeInventory(srv, account, svc, out); err != nil {
			tb.Fatal(err)
		}
	}
	custom := 0
	for _, o := range vod.EncodingOptions {
		if !slices.ContainsFunc(vodwire.SystemEncodingOptions, func(s vodwire.EncodingOption) bool { return s.ID == o.ID }) {
			custom++
		}
	}
	var left []string
	for _, c := range []struct {
		what string
		n    int
	}{
		{"VPCs", inv.Vpcs}, {"subnets", inv.Subnets}, {"buckets", inv.Buckets},
		{"categories", len(vod.Categories)}, {"custom encoding options", custom}, {"channels", len(vod.Channels)},
		{"profiles", len(edge.Profiles)}, {"edges", len(edge.Edges)},
		{"packages", len(functions.Packages)}, {"actions", len(functions.Actions)}, {"triggers", len(functions.Triggers)},
	} {
		if c.n != 0 {
			left = append(left, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	return strings.Join(left, ", ")
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
