#!/usr/bin/env bash
# Builds OpenTofu from source into the given path (default: bin/tofu), unless
# a binary there already reports the wanted version.
#
# Usage: TOFU_VERSION=1.12.6 scripts/install-tofu.sh [path/to/tofu]
#
# The source comes from the Go module proxy (go mod download), so no network
# access beyond what `go build` already needs is required. The build is
# reproducible: -trimpath, CGO disabled, and the version stamped as a release
# (version.dev=no), as the upstream release build does. A cold build takes
# about 3-4 minutes on two cores.
set -euo pipefail

version="${TOFU_VERSION:-1.12.6}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-$repo_root/bin/tofu}"
case "$target" in
/*) ;;
*) target="$PWD/$target" ;;
esac

# installed_version prints the version the binary at $target reports, if any.
# The CLI configuration is pointed at /dev/null so that a missing or broken
# user configuration cannot add warnings to the output.
installed_version() {
	[[ -x "$target" ]] || return 0
	TF_CLI_CONFIG_FILE=/dev/null "$target" version 2>/dev/null |
		sed -n '1s/^OpenTofu v\([^ ]*\)$/\1/p' || true
}

have="$(installed_version)"
if [[ "$have" == "$version" ]]; then
	echo "OpenTofu v$version present: $target"
	exit 0
fi
if [[ -n "$have" ]]; then
	echo "$target reports v$have, want v$version: rebuilding"
fi

echo "Building OpenTofu v$version from source into $target (takes a few minutes the first time)"

# Download the module (cached after the first time) and find its directory.
dir="$(GOFLAGS=-mod=mod GOWORK=off go mod download -json "github.com/opentofu/opentofu@v$version" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
if [[ -z "$dir" || ! -d "$dir" ]]; then
	echo "could not download github.com/opentofu/opentofu@v$version" >&2
	exit 1
fi

# Build into a temporary file next to the target and rename it at the end, so
# an interrupted build never leaves a half-written bin/tofu behind.
mkdir -p "$(dirname "$target")"
tmp="$(mktemp "$target.tmp.XXXXXX")"
trap 'rm -f "$tmp"' EXIT

(
	cd "$dir"
	CGO_ENABLED=0 GOWORK=off GOFLAGS=-mod=readonly \
		go build -trimpath \
		-ldflags "-X github.com/opentofu/opentofu/version.dev=no" \
		-o "$tmp" ./cmd/tofu
)
chmod +x "$tmp"
mv -f "$tmp" "$target"
trap - EXIT

have="$(installed_version)"
if [[ "$have" != "$version" ]]; then
	echo "built $target, but it reports version '${have}', not $version" >&2
	exit 1
fi
echo "OpenTofu v$version built: $target"
