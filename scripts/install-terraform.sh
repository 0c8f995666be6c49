#!/usr/bin/env bash
# Builds Terraform (the last MPL-licensed release, 1.5.7) from source into the
# given path (default: bin/terraform), unless a binary there already reports
# the wanted version. The acceptance tests run against it as well as against
# OpenTofu, so the provider is checked with both CLIs users run.
#
# Usage: TERRAFORM_VERSION=1.5.7 scripts/install-terraform.sh [path/to/terraform]
#
# `go install` fetches the source from the Go module proxy; the binary is
# built in a temporary GOBIN and renamed into place at the end.
set -euo pipefail

version="${TERRAFORM_VERSION:-1.5.7}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-$repo_root/bin/terraform}"
case "$target" in
/*) ;;
*) target="$PWD/$target" ;;
esac

# installed_version prints the version the binary at $target reports, if any.
installed_version() {
	[[ -x "$target" ]] || return 0
	TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$target" version 2>/dev/null |
		sed -n '1s/^Terraform v\([^ ]*\)$/\1/p' || true
}

have="$(installed_version)"
if [[ "$have" == "$version" ]]; then
	echo "Terraform v$version present: $target"
	exit 0
fi
echo "Building Terraform v$version from source into $target (takes a few minutes the first time)"

mkdir -p "$(dirname "$target")"
gobin="$(mktemp -d "$target.gobin.XXXXXX")"
trap 'rm -rf "$gobin"' EXIT
CGO_ENABLED=0 GOWORK=off GOBIN="$gobin" go install -trimpath "github.com/hashicorp/terraform@v$version"
mv -f "$gobin/terraform" "$target"

have="$(installed_version)"
if [[ "$have" != "$version" ]]; then
	echo "built $target, but it reports version '${have}', not $version" >&2
	exit 1
fi
echo "Terraform v$version built: $target"
