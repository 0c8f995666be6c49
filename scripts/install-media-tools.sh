#!/usr/bin/env bash
# Installs what ncplocal's video pipeline and its tests run, when missing:
#
#   ffmpeg, ffprobe   encoding and packaging (Debian package ffmpeg)
#   chromium          the player's browser test (Debian package chromium)
#   python3, node     Cloud Functions actions (python3, nodejs)
#   npm               the player's hls.js (npm), then scripts/install-player-assets.sh
#   prlimit           the actions' memory limit (util-linux)
#
# Usage: scripts/install-media-tools.sh
#
# Missing Debian packages are installed with apt-get, non-interactively, as
# root (or through sudo when it works without a password). Quiet when
# everything is present. Exits non-zero, saying what is missing and why it
# could not be installed, otherwise.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# command -> Debian package
declare -A pkg=(
	[ffmpeg]=ffmpeg
	[ffprobe]=ffmpeg
	[chromium]=chromium
	[python3]=python3
	[node]=nodejs
	[npm]=npm
	[prlimit]=util-linux
)

have() {
	if [[ "$1" == chromium ]]; then
		[[ -x /usr/bin/chromium ]] || command -v chromium >/dev/null 2>&1
	else
		command -v "$1" >/dev/null 2>&1
	fi
}

missing=()
for cmd in ffmpeg ffprobe chromium python3 node npm prlimit; do
	if ! have "$cmd"; then
		p="${pkg[$cmd]}"
		[[ " ${missing[*]-} " == *" $p "* ]] || missing+=("$p")
	fi
done

if ((${#missing[@]})); then
	echo "Installing Debian packages: ${missing[*]}"
	if [[ $EUID -eq 0 ]]; then
		as_root=()
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		as_root=(sudo -n)
	else
		echo "install-media-tools: missing ${missing[*]}; run this script as root (apt-get install ${missing[*]})" >&2
		exit 1
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "install-media-tools: missing ${missing[*]} and no apt-get (not Debian): install them with your package manager" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	if ! "${as_root[@]}" apt-get update -qq >/dev/null ||
		! "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
		echo "install-media-tools: apt-get install ${missing[*]} failed" >&2
		exit 1
	fi
	for cmd in ffmpeg ffprobe chromium python3 node npm prlimit; do
		if ! have "$cmd"; then
			echo "install-media-tools: $cmd is still missing after installing ${missing[*]}" >&2
			exit 1
		fi
	done
fi

"$root/scripts/install-player-assets.sh"
