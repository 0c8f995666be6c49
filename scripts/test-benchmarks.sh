#!/usr/bin/env bash
# Runs every Go benchmark of the repository once (-benchtime=1x), so that
# `make test` keeps them compiling and passing: a benchmark that fails its
# own checks (a refresh above its call budget, a list scan, a
# waiter polling more than the polling budget, a plan that is not empty)
# fails the run. The figures of such a run are not the results: those come
# from `make bench` (scripts/bench-report.sh).
#
# Usage: scripts/test-benchmarks.sh [go test flags...]   (run by `make test`)
#
# The packages are those with a `func Benchmark` in a _test.go file; the
# end-to-end benchmarks in internal/benchmarks need bin/tofu (`make tools`).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mapfile -t pkgs < <(grep -rlE '^func Benchmark' --include='*_test.go' --exclude-dir=bin --exclude-dir=.git . |
	xargs -r -n1 dirname | sort -u)
if [[ ${#pkgs[@]} -eq 0 ]]; then
	echo "test-benchmarks: no benchmarks found" >&2
	exit 1
fi
echo "test-benchmarks: ${pkgs[*]}"
# BENCH_SHORT makes the costliest benchmarks shrink their input (a 2 s
# clip to encode instead of 10 s, a refresh of 20 subnets instead of 200);
# the waits keep their lengths, since the polling budget is set for them.
# -p 1: the end-to-end benchmarks time waits and OpenTofu runs; one
# package at a time keeps the others' CPU out of them.
BENCH_SHORT=1 go test -p 1 -run '^$' -bench . -benchtime=1x -count=1 -timeout "${BENCH_TEST_TIMEOUT:-30m}" "$@" "${pkgs[@]}"
