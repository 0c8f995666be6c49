#!/usr/bin/env bash
# Runs the acceptance suite on its real-NCP target (NCP_ACC_TARGET=ncp)
# against an ncplocal started here as a separate process, reached only
# through the public APIs, as NCP would be; then the sweepers; then checks
# through ncplocal's admin API that nothing of the run is left.
#
# Usage (normally through make test): scripts/test-ncp-target.sh PKG...
#
# Expects bin/ncplocal (make ncplocal-bin) and the acceptance environment of
# the Makefile (TF_ACC, TF_ACC_TERRAFORM_PATH, ...). ncplocal listens on a
# free loopback port with an account of its own, and is stopped on exit.
#
# Environment:
#   GO_TEST_FLAGS      flags for go test (-count, -timeout, -parallel, ...)
#   NCPLOCAL_BIN       the ncplocal binary (default bin/ncplocal)
#   NCPLOCAL_DELAY     its async delay (default 200ms)
#   NCPLOCAL_LIMIT_VPCS  VPCs the run's account may have per region (default
#                      40). NCP allows 3 per account and region unless
#                      raised on request, and so does ncplocal by default; the
#                      suite runs its VPC tests in parallel in one account,
#                      so against NCP it needs an account whose limit was
#                      raised, and this is that account's raised limit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NCPLOCAL_BIN="${NCPLOCAL_BIN:-$ROOT/bin/ncplocal}"
NCPLOCAL_DELAY="${NCPLOCAL_DELAY:-200ms}"
NCPLOCAL_LIMIT_VPCS="${NCPLOCAL_LIMIT_VPCS:-40}"
[[ $# -gt 0 ]] || { echo "usage: $0 PKG..." >&2; exit 2; }
[[ -x "$NCPLOCAL_BIN" ]] || { echo "test-ncp-target: $NCPLOCAL_BIN is missing (make ncplocal-bin)" >&2; exit 2; }

# A key pair of this run's own, so that the suite sees nothing but its own
# objects even if the server were shared.
ACCESS_KEY="tf-acc-ncp-target-$$"
SECRET_KEY="tf-acc-ncp-target-secret-$$"
ACCOUNT="ncptarget"

work="$(mktemp -d)"
pid=""
cleanup() {
	if [[ -n "$pid" ]]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

"$NCPLOCAL_BIN" -addr 127.0.0.1:0 -async-delay "$NCPLOCAL_DELAY" -limit-vpcs "$NCPLOCAL_LIMIT_VPCS" \
	-credentials "$ACCESS_KEY:$SECRET_KEY:$ACCOUNT" >"$work/out" 2>"$work/err" &
pid=$!
url=""
for _ in $(seq 100); do
	url="$(sed -n 's/^ncplocal listening on \(http[^ ]*\)$/\1/p' "$work/out")"
	[[ -n "$url" ]] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
if [[ -z "$url" ]]; then
	echo "test-ncp-target: ncplocal did not start:" >&2
	cat "$work/err" >&2
	exit 1
fi
echo "ncplocal (pid $pid) listening on $url"

export NCP_ACC_TARGET=ncp NCP_ENDPOINT_URL="$url" NCLOUD_ACCESS_KEY="$ACCESS_KEY" NCLOUD_SECRET_KEY="$SECRET_KEY" NCLOUD_REGION=KR
unset NCLOUD_ACCESS_KEY_ID NCLOUD_SECRET_ACCESS_KEY NCLOUD_PROFILE NCLOUD_SITE NCP_ACC_ZONES

rc=0
# shellcheck disable=SC2086 # GO_TEST_FLAGS is a list of flags
go test ${GO_TEST_FLAGS:-} -run '^TestAcc[A-Z]' "$@" || rc=1

echo "== sweepers (go test ./internal/sweep -sweep=KR)"
(cd "$ROOT" && go test -count=1 ./internal/sweep -sweep=KR) || rc=1

# What the suite created it destroyed, or the sweepers did: the account
# holds nothing but what ncplocal makes by itself.
left="$(curl -fsS --max-time 5 "$url/_ncplocal/inventory" | python3 -c '
import json, sys
acct = json.load(sys.stdin).get("accounts", {}).get(sys.argv[1], {})
left = {svc: kinds for svc, kinds in acct.items() if any(v for v in kinds.values())}
print(json.dumps(left) if left else "")
' "$ACCOUNT")" || { echo "test-ncp-target: cannot read the inventory" >&2; rc=1; }
if [[ -n "$left" ]]; then
	echo "test-ncp-target: left in ncplocal after the suite and the sweepers: $left" >&2
	rc=1
fi
exit $rc
