#!/usr/bin/env bash
# Runs every Go fuzz target of the repository (func FuzzXxx(f *testing.F) in
# a _test.go file, found by scanning the tree, not listed by hand) for
# FUZZTIME each, one after the other, and prints how many inputs each ran
# (the "execs" of go's fuzzing output). A target that finds a failing input
# fails the run; go writes the input under the package's
# testdata/fuzz/<Target>/, where plain `go test` replays it from then on.
#
# Usage (normally through make fuzz): scripts/fuzz.sh [REGEXP]
#   REGEXP   only the targets whose "package.Target" name matches (grep -E)
#
# Environment:
#   FUZZTIME   how long each target runs (default 1m; go's -fuzztime syntax,
#              so 500000x runs that many inputs)
#   FUZZARGS   more flags for go test (default -fuzzminimizetime=2000x: go's
#              default of 60s per new input can use up a short run)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
FUZZTIME="${FUZZTIME:-1m}"
FILTER="${1:-}"
MODULE="$(go list -m)"

# package directory <TAB> target, sorted.
mapfile -t targets < <(
	grep -rEo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' \
		--exclude-dir=bin --exclude-dir=.git --exclude-dir=node_modules . |
		sed -E 's|^\./||; s|/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*)\(.*$|\t\1|' |
		sort -u
)
[[ ${#targets[@]} -gt 0 ]] || { echo "fuzz: no fuzz targets found" >&2; exit 1; }

summary=()
failed=0
for entry in "${targets[@]}"; do
	dir="${entry%%$'\t'*}"
	name="${entry##*$'\t'}"
	pkg="$MODULE/$dir"
	label="${dir#internal/}.$name"
	if [[ -n "$FILTER" ]] && ! grep -qE -- "$FILTER" <<<"$label"; then
		continue
	fi
	echo "== $label ($pkg, $FUZZTIME)"
	log="$(mktemp)"
	rc=0
	# shellcheck disable=SC2086 # FUZZARGS is a list of flags
	go test -short -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" ${FUZZARGS--fuzzminimizetime=2000x} "./$dir" 2>&1 | tee "$log" || rc=$?
	# The last progress line has the inputs run ("execs: N (rate/sec)").
	execs="$(grep -Eo 'execs: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+' || true)"
	rm -f "$log"
	if [[ $rc -ne 0 ]]; then
		failed=1
		summary+=("$(printf '%-52s FAIL (%s inputs before the failure)' "$label" "${execs:-0}")")
	else
		summary+=("$(printf '%-52s ok   %s inputs' "$label" "${execs:-?}")")
	fi
done

echo
echo "== make fuzz ($FUZZTIME per target)"
printf '%s\n' "${summary[@]}"
if [[ $failed -ne 0 ]]; then
	echo "make fuzz: FAIL"
	exit 1
fi
echo "make fuzz: ok"
