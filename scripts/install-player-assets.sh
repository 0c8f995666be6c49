#!/usr/bin/env bash
# Installs the browser assets of ncplocal's player page: hls.js, at the
# version pinned in internal/ncplocal/player/assets/package-lock.json, from
# the npm registry (npm ci), and copies the file the page serves to
# internal/ncplocal/player/static/vendor/, which the ncplocal build embeds.
#
# Usage: scripts/install-player-assets.sh
#
# Quiet and quick when the pinned version is already in place. Needs npm
# (Debian: apt-get install npm; scripts/install-media-tools.sh installs it).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
assets="$root/internal/ncplocal/player/assets"
vendor="$root/internal/ncplocal/player/static/vendor"

# The pinned version, read from the lock file without needing node.
want="$(awk '/"node_modules\/hls.js": *\{/ { found = 1 }
	found && /"version":/ { gsub(/[",]/, "", $2); print $2; exit }' "$assets/package-lock.json")"
if [[ -z "$want" ]]; then
	echo "install-player-assets: no hls.js version in $assets/package-lock.json" >&2
	exit 1
fi

if [[ -s "$vendor/hls.min.js" && "$(cat "$vendor/VERSION" 2>/dev/null)" == "hls.js $want" ]]; then
	exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
	echo "install-player-assets: npm not found; install it (Debian: apt-get install npm, or run scripts/install-media-tools.sh as root)" >&2
	exit 1
fi

echo "Installing hls.js $want for the player page (npm ci)"
(cd "$assets" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)

dist="$assets/node_modules/hls.js"
have="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$dist/package.json" | head -n 1)"
if [[ "$have" != "$want" || ! -s "$dist/dist/hls.min.js" ]]; then
	echo "install-player-assets: npm ci installed hls.js '$have', want $want" >&2
	exit 1
fi

# Copy next to the target and rename, so an interrupted run never leaves a
# partial file that the build would embed.
mkdir -p "$vendor"
cp "$dist/dist/hls.min.js" "$vendor/hls.min.js.tmp"
cp "$dist/LICENSE" "$vendor/LICENSE"
mv "$vendor/hls.min.js.tmp" "$vendor/hls.min.js"
echo "hls.js $want" >"$vendor/VERSION"
echo "hls.js $want installed into ${vendor#"$root/"}"
