#!/usr/bin/env bash
# Runs every benchmark of the repository and writes the report:
#
#   bench/results.txt  a header (date, go version, CPU, cores, memory), then
#                      the raw `go test -bench` output, readable by benchstat;
#   README.md          the summary table between <!-- bench:start --> and
#                      <!-- bench:end --> (printed instead when the markers
#                      are missing).
#
# Usage: scripts/bench-report.sh   (run by `make bench`, from any directory)
#
# Environment:
#   BENCH_RESULTS   results file (default bench/results.txt, relative to the
#                   repository root)
#   BENCH_E2E_TIME  -benchtime of the end-to-end benchmarks in
#                   internal/benchmarks (default 3x: each iteration runs
#                   OpenTofu or waits for an emulated transition, so a
#                   duration-based benchtime would mostly run one iteration)
#   BENCH_COUNT     -count of every benchmark (default 1)
#   BENCH_TIMEOUT   go test -timeout of the end-to-end benchmarks (default 60m)
#
# The end-to-end benchmarks need bin/tofu (`make tools`). The script exits
# non-zero when any benchmark failed; the report is written anyway, so that
# the failure is in bench/results.txt.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 1

e2e_pkg=./internal/benchmarks/
e2e_time="${BENCH_E2E_TIME:-3x}"
count="${BENCH_COUNT:-1}"
timeout="${BENCH_TIMEOUT:-60m}"
results="${BENCH_RESULTS:-bench/results.txt}"

raw="$(mktemp)"
trap 'rm -f "$raw"' EXIT

{
	rc=0
	other_pkgs="$(go list ./... | grep -vF "github.com/ncplabs/terraform-provider-ncp/internal/benchmarks" || true)"
	# -short: no tests run here (-run matches none), and the acceptance
	# packages refuse to start without TF_ACC otherwise.
	# shellcheck disable=SC2086 # one package per word
	go test -short -run '^$' -bench . -benchmem -count "$count" $other_pkgs || rc=1
	go test -run '^$' -bench . -benchmem -count "$count" -benchtime "$e2e_time" -timeout "$timeout" "$e2e_pkg" || rc=1
	exit "$rc"
} 2>&1 | tee "$raw"
rc="${PIPESTATUS[0]}"

go run ./internal/benchmarks/cmd/benchreport -in "$raw" -out "$results" -readme README.md || rc=1
if [[ "$rc" -ne 0 ]]; then
	echo "bench-report: some benchmarks failed (see $results)" >&2
fi
exit "$rc"
