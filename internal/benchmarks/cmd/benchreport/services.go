package main

import (
	"fmt"
	"strconv"
)

// serviceRefresh lists the resource types of BenchmarkServiceCalls in table
// order, with their refresh target and what it means where NCP's API sets
// it.
var serviceRefresh = []struct{ resourceType, target string }{
	{"ncp_vod_category", "1"},
	{"ncp_vod_channel", "1"},
	{"ncp_vod_encoding_option", "1"},
	{"ncp_global_edge_profile", "1, a list call: Global Edge has no single-profile GET"},
	{"ncp_global_edge_cdn", "2: NCP's edge get carries no status, which has its own call (the status shows a DELETING edge)"},
	{"ncp_cloud_functions_package", "1"},
	{"ncp_cloud_functions_action", "1"},
	{"ncp_cloud_functions_sequence", "1"},
	{"ncp_cloud_functions_trigger", "1, its linked actions included (the get shows them)"},
	{"ncp_object_storage_bucket_event", "1 (GetBucketNotificationConfiguration of its bucket)"},
}

// serviceRows are the rows of the VOD Station, Global Edge, Cloud Functions
// and bucket event benchmarks: refresh calls per resource of each type,
// list calls, the apply and destroy of their configuration, and the
// channel and edge create waiters against the polling budget.
func serviceRows(r Results) []row {
	const bench = "BenchmarkServiceCalls"
	var rows []row
	for _, s := range serviceRefresh {
		rw := row{metric: "Refresh (`tofu plan`) API calls per `" + s.resourceType + "`", target: s.target, result: notMeasured}
		if v, ok := r.Mean(bench, "refresh-calls/"+s.resourceType); ok {
			rw.result = strconv.FormatFloat(v, 'g', 3, 64)
		}
		rows = append(rows, rw)
	}
	list := row{metric: "List calls during the refresh of these types (the profile list aside)", target: "0", result: notMeasured}
	if v, ok := r.Mean(bench, "refresh-list-calls"); ok {
		list.result = strconv.FormatFloat(v, 'g', 3, 64)
	}
	calls := row{metric: "API calls to apply / destroy 2 resources of each of these types (with the VPC, subnet and 4 buckets they need), no transition delay",
		target: "— (information)", result: notMeasured}
	apply, ok1 := r.Mean(bench, "apply-calls")
	destroy, ok2 := r.Mean(bench, "destroy-calls")
	if ok1 && ok2 {
		calls.result = fmt.Sprintf("%.0f / %.0f", apply, destroy)
	}
	rows = append(rows, list, calls)
	for _, w := range []struct{ bench, what string }{
		{"BenchmarkChannelWaiterLag", "`ncp_vod_channel` creation (READY)"},
		{"BenchmarkEdgeWaiterLag", "`ncp_global_edge_cdn` creation (RUNNING)"},
	} {
		rows = append(rows, waitRow(r, w.bench, w.what, "2s", 8), waitRow(r, w.bench, w.what, "10s", 14))
	}
	return rows
}

// waitRow is the lag and polls of one sub-benchmark (delay=2s, delay=10s)
// of a waiter lag benchmark against the polling budget.
func waitRow(r Results, bench, what, delay string, maxPolls int) row {
	name := bench + "/delay=" + delay
	rw := row{metric: "Waiter lag after a " + delay + " " + what + ", and polls per wait",
		target: fmt.Sprintf("≤ 25 %% and ≤ 5 s; ≤ %d polls", maxPolls), result: notMeasured}
	ms, ok1 := r.Mean(name, "lag-ms")
	pct, ok2 := r.Mean(name, "lag-%-of-delay")
	polls, ok3 := r.Mean(name, "polls/wait")
	if ok1 && ok2 && ok3 {
		rw.result = fmt.Sprintf("%.0f ms (%.1f %%), %.0f polls", ms, pct, polls)
	}
	return rw
}
