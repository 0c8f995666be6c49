package main

import (
	"strings"
	"testing"
)

const serviceRaw = `BenchmarkServiceCalls-2   	       1	24556802812 ns/op	        77.00 apply-calls	       100.0 destroy-calls	         1.000 refresh-calls/ncp_cloud_functions_action	         1.000 refresh-calls/ncp_cloud_functions_package	         1.000 refresh-calls/ncp_cloud_functions_sequence	         1.000 refresh-calls/ncp_cloud_functions_trigger	         2.000 refresh-calls/ncp_global_edge_cdn	         1.000 refresh-calls/ncp_global_edge_profile	         1.000 refresh-calls/ncp_object_storage_bucket_event	         1.000 refresh-calls/ncp_vod_category	         1.000 refresh-calls/ncp_vod_channel	         1.000 refresh-calls/ncp_vod_encoding_option	         0 refresh-list-calls
BenchmarkChannelWaiterLag/delay=2s-2         	       1	2390598330 ns/op	        19.53 lag-%-of-delay	       390.6 lag-ms	         5.000 polls/wait
BenchmarkEdgeWaiterLag/delay=10s-2           	       1	10774052575 ns/op	         7.740 lag-%-of-delay	       774.0 lag-ms	        12.00 polls/wait
`

func TestServiceRows(t *testing.T) {
	table := Table(ParseResults(serviceRaw), "m")
	for _, want := range []string{
		"| Refresh (`tofu plan`) API calls per `ncp_vod_category` | 1 | 1 | m |",
		"| Refresh (`tofu plan`) API calls per `ncp_global_edge_cdn` | 2: NCP's edge get carries no status",
		"DELETING edge) | 2 | m |",
		"| Refresh (`tofu plan`) API calls per `ncp_object_storage_bucket_event` | 1 (GetBucketNotificationConfiguration of its bucket) | 1 | m |",
		"| List calls during the refresh of these types (the profile list aside) | 0 | 0 | m |",
		"no transition delay | — (information) | 77 / 100 | m |",
		"| Waiter lag after a 2s `ncp_vod_channel` creation (READY), and polls per wait | ≤ 25 % and ≤ 5 s; ≤ 8 polls | 391 ms (19.5 %), 5 polls | m |",
		"| Waiter lag after a 10s `ncp_vod_channel` creation (READY), and polls per wait | ≤ 25 % and ≤ 5 s; ≤ 14 polls | not measured | m |",
		"| Waiter lag after a 10s `ncp_global_edge_cdn` creation (RUNNING), and polls per wait | ≤ 25 % and ≤ 5 s; ≤ 14 polls | 774 ms (7.7 %), 12 polls | m |",
		// The VPC rows are unmeasured here.
		"| Waiter lag after a 2s VPC creation, and polls per wait | ≤ 25 % and ≤ 5 s; ≤ 8 polls | not measured | m |",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	for _, s := range serviceRefresh {
		if !strings.Contains(table, "per `"+s.resourceType+"` | "+s.target+" | ") {
			t.Errorf("table has no refresh row for %s:\n%s", s.resourceType, table)
		}
	}
}
