// Package benchmarks holds the end-to-end benchmarks of the provider and
// ncplocal; the package itself is empty, the benchmarks are in its
// _test.go files (package benchmarks_test):
//
//   - BenchmarkRefresh: a whole-process `tofu plan` of 1 ncp_vpc and 200
//     ncp_subnet, with the provider running as a real plugin process,
//     against the same plan with cmd/noopprovider, a Plugin Framework
//     provider of the same schemas doing no I/O (metric "floor-ratio",
//     target ≤ 1.15), and against 200 terraform_data resources (metric
//     "ratio", for information);
//   - BenchmarkWaiterLag: for 2 s and 10 s VPC transitions, how long after
//     RUN the provider's create-and-wait path returns and how often it
//     polls (targets: lag ≤ 25 % and ≤ 5 s; ≤ 8 and ≤ 14 polls);
//   - BenchmarkDemoApply: the API calls and time of applying
//     examples/video-pipeline from scratch with 2 s transitions;
//   - BenchmarkAPICalls: the ncplocal calls per resource of apply, plan and
//     destroy (target: refresh = 1 call per resource, never a list call);
//   - BenchmarkUploadToPlayable: upload → playable HLS master playlist of a
//     10 s 1080p clip with a 3-rendition ladder through the pipeline of an
//     ncplocal process, against plain ffmpeg making the same ladder
//     (metric "ratio", target ≤ 1.2; -short or BENCH_SHORT: a 2 s 360p clip);
//   - BenchmarkPipelineBurst: a burst of 20 uploads (4 with -short or BENCH_SHORT): its
//     throughput ("uploads/s") and ncplocal's peak RSS ("peak-rss-MiB").
//   - BenchmarkServiceCalls: the same refresh target for every resource
//     type of VOD Station, Global Edge, Cloud Functions and bucket events,
//     with the exceptions NCP's API forces (a Global Edge profile is read
//     from the profile list, an edge takes its get and its status);
//   - BenchmarkChannelWaiterLag, BenchmarkEdgeWaiterLag: BenchmarkWaiterLag
//     for the create-and-wait paths of ncp_vod_channel and
//     ncp_global_edge_cdn.
//
// Each benchmark checks what does not depend on timing (call budgets, list
// scans, polls per wait, empty plans) and fails when it is not met;
// `make test` runs every benchmark once (scripts/test-benchmarks.sh) so that
// these checks run in CI.
//
// Run them with
//
//	go test -run '^$' -bench . ./internal/benchmarks/
//
// (bin/tofu must exist: `make tools`). scripts/bench-report.sh, run by
// `make bench`, runs them with the rest of the repository's benchmarks and
// writes bench/results.txt and the table in README.md through
// cmd/benchreport.
package benchmarks
