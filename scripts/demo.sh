#!/usr/bin/env bash
# The local demo: the tutorial's video pipeline (examples/video-pipeline)
# applied against ncplocal, then a sample video uploaded and followed until
# it is encoded and playable.
#
# Usage (normally through make):
#   scripts/demo.sh up           make demo            everything below, in order
#   scripts/demo.sh upload FILE  make demo-upload FILE=...  upload FILE and follow it
#   scripts/demo.sh destroy      make demo-destroy    tofu destroy the example (ncplocal must be running)
#   scripts/demo.sh stop         make demo-stop       stop the ncplocal that `up` started
#
# The steps of `up`, each runnable on its own:
#   scripts/demo.sh tools        ffmpeg and python3 (scripts/install-media-tools.sh) when missing
#   scripts/demo.sh build        hls.js for the player page, then bin/terraform-provider-ncp,
#                                bin/ncplocal and bin/ncpdemo (go build: a second run reuses them)
#   scripts/demo.sh start        start ncplocal in the background (or reuse the one answering)
#   scripts/demo.sh apply        tofu apply examples/video-pipeline, then check the next plan is empty
#   scripts/demo.sh sample       generate .demo/sample.mp4 with ffmpeg (kept for the next run)
#   scripts/demo.sh upload FILE  upload FILE to the upload bucket (aws CLI, s3cmd or ncpdemo),
#                                follow the trigger and the encoding, print the URLs
#   scripts/demo.sh urls         print the play URL template and the player page URL
#   scripts/demo.sh s3-upload FILE BUCKET KEY  only the upload (DEMO_UPLOADER picks the client)
#
# Expects bin/tofu (make tools builds it). Everything the demo writes lives
# in .demo/ (gitignored), except the example's state and module files
# (examples/video-pipeline/terraform.tfstate, .terraform/, also gitignored).
#
# Environment:
#   NCPLOCAL_ADDR   listen address of ncplocal (default 127.0.0.1:4510)
#   DEMO_TIMEOUT    how long to wait for an encoding (default 10m)
#   DEMO_UPLOADER   aws, s3cmd or ncpdemo: force an S3 client (default: the first that works)
#   DEMO_DIR, NCPLOCAL_BIN, NCPDEMO  where the demo's files and the binaries are
#                   (default .demo/, bin/ncplocal, bin/ncpdemo; the tests change them)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/bin"
DEMO_DIR="${DEMO_DIR:-$ROOT/.demo}"
EXAMPLE_DIR="$ROOT/examples/video-pipeline"
PID_FILE="$DEMO_DIR/ncplocal.pid"
LOG_FILE="$DEMO_DIR/ncplocal.log"
DATA_DIR="$DEMO_DIR/ncplocal-data"
ENV_FILE="$DEMO_DIR/env.sh"
SAMPLE="$DEMO_DIR/sample.mp4"
NCPDEMO="${NCPDEMO:-$BIN/ncpdemo}"
NCPLOCAL="${NCPLOCAL_BIN:-$BIN/ncplocal}"
TIMEOUT="${DEMO_TIMEOUT:-10m}"

ADDR="${NCPLOCAL_ADDR:-127.0.0.1:4510}"

# ncplocal's default credentials (cmd/ncplocal -credentials).
ACCESS_KEY="ncplocal-access-key"
SECRET_KEY="ncplocal-secret-key"

# ---------------------------------------------------------------- helpers

log() { printf '==> %s\n' "$*"; }
die() {
	printf 'demo: %s\n' "$*" >&2
	exit 1
}

# base_url turns a listen address into a URL clients can use: a missing or
# wildcard host becomes 127.0.0.1 (":4510" -> "http://127.0.0.1:4510").
base_url() {
	local host="${ADDR%:*}" port="${ADDR##*:}"
	case "$host" in
	"" | "0.0.0.0" | "[::]" | "::") host="127.0.0.1" ;;
	esac
	printf 'http://%s:%s' "$host" "$port"
}
URL="$(base_url)"

# http_get URL: prints the body, fails on a non-2xx answer or no answer.
http_get() {
	if command -v curl >/dev/null 2>&1; then
		curl -fsS --max-time 2 "$1"
	else
		python3 - "$1" <<'PY'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
    sys.stdout.write(r.read().decode())
PY
	fi
}

healthy() { http_get "$URL/_ncplocal/health" >/dev/null 2>&1; }

# started_pid prints the pid of the ncplocal that `up` started, if it is
# still running (the pid file may be stale, and its pid reused).
started_pid() {
	[[ -f "$PID_FILE" ]] || return 0
	local pid comm=""
	pid="$(<"$PID_FILE")"
	[[ "$pid" =~ ^[0-9]+$ ]] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	if [[ -r "/proc/$pid/comm" ]]; then
		comm="$(<"/proc/$pid/comm")"
	elif command -v ps >/dev/null 2>&1; then
		comm="$(ps -p "$pid" -o comm= 2>/dev/null || true)"
	else
		comm="ncplocal" # cannot tell; trust the pid file
	fi
	[[ "$(basename "$comm")" == "ncplocal" ]] && echo "$pid"
	return 0
}

need() {
	local f
	for f in "$@"; do
		[[ -x "$f" ]] || die "$f is missing: run this through make (make demo)"
	done
}

# tofu runs bin/tofu in the example directory with the demo's environment:
# the repository's CLI configuration (dev_overrides: the provider is
# bin/terraform-provider-ncp) and ncplocal's endpoint and credentials.
tofu() {
	(
		cd "$EXAMPLE_DIR"
		# Settings from the caller's shell that would point elsewhere.
		unset NCLOUD_ACCESS_KEY_ID NCLOUD_SECRET_ACCESS_KEY NCLOUD_PROFILE NCLOUD_SITE TF_WORKSPACE
		export TF_CLI_CONFIG_FILE="$BIN/tofurc"
		export NCP_ENDPOINT_URL="$URL"
		export NCLOUD_ACCESS_KEY="$ACCESS_KEY"
		export NCLOUD_SECRET_KEY="$SECRET_KEY"
		export NCLOUD_REGION="KR"
		export TF_IN_AUTOMATION=1
		# The example's inputs: the actions call VOD Station on ncplocal and
		# sign with its default keys; the player page is ncplocal's.
		export TF_VAR_vod_api_url="$URL"
		export TF_VAR_access_key="$ACCESS_KEY"
		export TF_VAR_secret_key="$SECRET_KEY"
		export TF_VAR_player_base_url="$URL"
		"$BIN/tofu" "$@"
	)
}

# ---------------------------------------------------------------- ncplocal

start_ncplocal() {
	if healthy; then
		log "Reusing the ncplocal already answering at $URL"
		return 0
	fi

	mkdir -p "$DATA_DIR"
	log "Starting ncplocal at $URL (log: ${LOG_FILE#"$ROOT"/}, data: ${DATA_DIR#"$ROOT"/})"
	# setsid: its own session, so that ncplocal outlives make and a Ctrl-C
	# in this terminal.
	local launcher=()
	command -v setsid >/dev/null 2>&1 && launcher=(setsid)
	# -log: every request goes to stderr, hence to the log file.
	${launcher[@]+"${launcher[@]}"} "$NCPLOCAL" -addr "$ADDR" -data-dir "$DATA_DIR" -log \
		>>"$LOG_FILE" 2>&1 </dev/null &
	local pid=$!
	echo "$pid" >"$PID_FILE"

	# Wait until the admin API answers (or the process exits).
	local i
	for ((i = 0; i < 300; i++)); do
		if healthy; then
			log "ncplocal is up (pid $pid)"
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			rm -f "$PID_FILE"
			tail -n 20 "$LOG_FILE" >&2 || true
			die "ncplocal exited during start-up (log above: $LOG_FILE)"
		fi
		sleep 0.1
	done
	tail -n 20 "$LOG_FILE" >&2 || true
	die "ncplocal did not answer $URL/_ncplocal/health within 30s"
}

stop_ncplocal() {
	local pid
	pid="$(started_pid)"
	if [[ -z "$pid" ]]; then
		rm -f "$PID_FILE"
		if healthy; then
			echo "An ncplocal that make demo did not start answers at $URL; stop it where it runs."
		else
			echo "ncplocal is not running."
		fi
		return 0
	fi

	# SIGTERM lets ncplocal shut down cleanly and snapshot its state into
	# the data dir, so the next `make demo` finds the same objects.
	log "Stopping ncplocal (pid $pid)"
	kill -TERM "$pid"
	local i
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "ncplocal did not exit within 10s; sending SIGKILL (state may not be saved)" >&2
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$PID_FILE"
	echo "ncplocal stopped. Its data stays in ${DATA_DIR#"$ROOT"/}; make clean removes it."
}

# ---------------------------------------------------------------- commands

write_env_file() {
	cat >"$ENV_FILE" <<EOF
# Generated by scripts/demo.sh: the demo's environment, for running tofu by hand.
#   source .demo/env.sh && cd examples/video-pipeline && tofu plan
export TF_CLI_CONFIG_FILE="$BIN/tofurc"
export NCP_ENDPOINT_URL="$URL"
export NCLOUD_ACCESS_KEY="$ACCESS_KEY"
export NCLOUD_SECRET_KEY="$SECRET_KEY"
export NCLOUD_REGION="KR"
export TF_VAR_vod_api_url="$URL"
export TF_VAR_access_key="$ACCESS_KEY"
export TF_VAR_secret_key="$SECRET_KEY"
export TF_VAR_player_base_url="$URL"
export PATH="$BIN:\$PATH"
EOF
}

# ---------------------------------------------------------------- steps

cmd_tools() {
	# ffmpeg encodes (ncplocal's VOD Station) and makes the sample; python3
	# runs the actions (ncplocal's Cloud Functions).
	local missing=() c
	for c in ffmpeg ffprobe python3; do
		command -v "$c" >/dev/null 2>&1 || missing+=("$c")
	done
	if ((${#missing[@]})); then
		log "Installing the media tools (missing: ${missing[*]})"
		"$ROOT/scripts/install-media-tools.sh" ||
			die "could not install ${missing[*]}: install them (Debian: apt-get install ffmpeg python3) and rerun"
	fi
}

cmd_build() {
	# hls.js is embedded into ncplocal at build time, so it comes first
	# (the script is quick when the pinned version is in place).
	"$ROOT/scripts/install-player-assets.sh" ||
		die "could not install hls.js for the player page (scripts/install-player-assets.sh needs npm)"
	log "Building the provider, ncplocal and ncpdemo into bin/"
	(cd "$ROOT" && go build -o "$BIN/terraform-provider-ncp" . &&
		go build -o "$BIN/ncplocal" ./cmd/ncplocal &&
		go build -o "$NCPDEMO" ./cmd/ncpdemo) || die "go build failed"
}

cmd_start() {
	need "$NCPLOCAL"
	mkdir -p "$DEMO_DIR"
	start_ncplocal
	write_env_file
}

cmd_apply() {
	need "$BIN/tofu" "$BIN/terraform-provider-ncp"
	healthy || die "ncplocal does not answer at $URL: scripts/demo.sh start (or make demo) first"
	mkdir -p "$DEMO_DIR"
	# The CLI configuration with dev_overrides (make writes it too).
	"$ROOT/scripts/write-tofurc.sh" "$BIN" "$BIN/tofurc" "$BIN/tofurc-test"
	write_env_file

	# `tofu get` installs the example's local module. No `tofu init`: the
	# only provider, ncplabs/ncp, is loaded through dev_overrides, which
	# OpenTofu uses without init; init would still ask
	# registry.opentofu.org for ncplabs/ncp and fail where the provider is
	# not published or the machine is offline.
	tofu get -no-color >/dev/null || die "tofu get (the example's module) failed"

	log "tofu apply (examples/video-pipeline)"
	tofu apply -auto-approve -input=false -compact-warnings ||
		die "tofu apply failed (see above). ncplocal keeps running at $URL: fix and rerun make demo, or make demo-stop"

	log "tofu output"
	tofu output

	# A second plan must be empty: the provider reads back exactly what it
	# wrote. -detailed-exitcode: 0 = no changes, 2 = changes, 1 = error.
	log "tofu plan -detailed-exitcode (must report no changes)"
	local rc=0
	tofu plan -detailed-exitcode -input=false -compact-warnings || rc=$?
	case "$rc" in
	0) log "Plan is empty." ;;
	2) die "the plan after apply is not empty (see above): the provider does not read back what it wrote" ;;
	*) die "tofu plan failed (exit code $rc)" ;;
	esac
}

cmd_sample() {
	mkdir -p "$DEMO_DIR"
	if [[ -s "$SAMPLE" ]]; then
		log "Reusing the sample video ${SAMPLE#"$ROOT"/}"
		return 0
	fi
	command -v ffmpeg >/dev/null 2>&1 || die "ffmpeg is missing: scripts/demo.sh tools"
	log "Generating a 5-second 720p sample video with ffmpeg (${SAMPLE#"$ROOT"/})"
	ffmpeg -hide_banner -loglevel error -y \
		-f lavfi -i "testsrc2=size=1280x720:rate=30" \
		-f lavfi -i "sine=frequency=440:sample_rate=48000" \
		-t 5 -c:v libx264 -pix_fmt yuv420p -preset veryfast -c:a aac -b:a 128k -shortest \
		-movflags +faststart "$SAMPLE.tmp.mp4" || die "ffmpeg could not generate the sample video"
	mv "$SAMPLE.tmp.mp4" "$SAMPLE"
}

# output NAME: prints one output of the applied example; fails when the
# example has no such output (tofu then prints a warning, not a value).
output() {
	local v
	v="$(tofu output -no-color -raw "$1" 2>/dev/null)" || return 1
	[[ -n "$v" && "$v" != *[[:space:]]* ]] || return 1
	printf '%s' "$v"
}

# s3_upload FILE BUCKET KEY: with the aws CLI or s3cmd when they work, else
# with ncpdemo (aws-sdk-go-v2). Path-style addressing, ncplocal's keys.
s3_upload() {
	local file="$1" bucket="$2" key="$3" how="${DEMO_UPLOADER:-}"
	if [[ -z "$how" ]]; then
		if command -v aws >/dev/null 2>&1 && aws --version >/dev/null 2>&1; then
			how=aws
		elif command -v s3cmd >/dev/null 2>&1 && s3cmd --version >/dev/null 2>&1; then
			how=s3cmd
		else
			how=ncpdemo
		fi
	fi
	log "Uploading ${file#"$ROOT"/} to $bucket/$key ($how)"
	local host="${URL#http://}"
	case "$how" in
	aws)
		# The endpoint is an IP address, so the CLI addresses buckets path
		# style. No profile of the user's is read.
		AWS_ACCESS_KEY_ID="$ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$SECRET_KEY" AWS_DEFAULT_REGION=kr-standard \
			AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
			env -u AWS_PROFILE aws --endpoint-url "$URL" s3 cp --only-show-errors "$file" "s3://$bucket/$key"
		;;
	s3cmd)
		# --host-bucket without %(bucket)s: path style.
		s3cmd --config=/dev/null --no-ssl --host="$host" --host-bucket="$host" --region=kr-standard \
			--access_key="$ACCESS_KEY" --secret_key="$SECRET_KEY" --no-progress --quiet \
			put "$file" "s3://$bucket/$key"
		;;
	ncpdemo)
		need "$NCPDEMO"
		NCP_ENDPOINT_URL="$URL" NCLOUD_ACCESS_KEY="$ACCESS_KEY" NCLOUD_SECRET_KEY="$SECRET_KEY" \
			"$NCPDEMO" upload -bucket "$bucket" -key "$key" "$file"
		;;
	*) die "DEMO_UPLOADER=$how: want aws, s3cmd or ncpdemo" ;;
	esac
}

cmd_urls() {
	local template player cdn
	template="$(output play_url_template || true)"
	player="$(output player_url || true)"
	cdn="$(output cdn_domain || true)"
	cat <<EOF

  Play URL template:  ${template:-(no channel in the state yet)}
                      (https://<cdn domain>/hls/<encrypted bucket name>/<path>/<file>/index.m3u8;
                      ncplocal serves the CDN domain itself)
  CDN on ncplocal:    $URL/_ncplocal/cdn/${cdn:-<cdn domain>}/hls/...  (the same paths; or send
                      Host: ${cdn:-<cdn domain>} to $URL)
  Player page:        ${player:-$URL/_ncplocal/player/}  (lists the encoded videos and plays them)
EOF
}

cmd_upload() {
	local file="${1:-}"
	[[ -n "$file" ]] || die "usage: scripts/demo.sh upload FILE (make demo-upload FILE=path/to/video.mp4)"
	[[ -f "$file" ]] || die "$file: no such file"
	need "$BIN/tofu" "$NCPDEMO"
	healthy || die "ncplocal does not answer at $URL: run make demo first"
	local bucket trigger key since
	bucket="$(output upload_bucket)" || die "the example is not applied (no upload_bucket output): run make demo first"
	trigger="$(output trigger_name)" || die "the example has no trigger_name output: run make demo first"
	key="$(basename "$file")"
	case "$key" in
	*.mp4) ;;
	*) echo "note: only keys ending with .mp4 start an encoding (the bucket event's suffix filter, video_suffix)" >&2 ;;
	esac
	since="$(($(date +%s) * 1000 - 1000))"
	s3_upload "$file" "$bucket" "$key" || die "the upload failed"

	# The channel's values, for the play URL of the renditions (the CDN
	# domain as NCP names it; how ncplocal maps it is in its README).
	local play=() cdn enc path category
	if cdn="$(output cdn_domain)" && enc="$(output encrypted_bucket_name)" &&
		path="$(output output_path)" && category="$(output category_name)"; then
		play=(-cdn-url "https://$cdn" -encrypted-bucket "$enc" -output-path "$path" -category "$category")
	fi
	log "Following the pipeline: trigger $trigger, then VOD Station's encoding (up to $TIMEOUT)"
	NCP_ENDPOINT_URL="$URL" NCLOUD_ACCESS_KEY="$ACCESS_KEY" NCLOUD_SECRET_KEY="$SECRET_KEY" \
		"$NCPDEMO" watch -trigger "$trigger" -object "$key" -since "$since" -timeout "$TIMEOUT" ${play[@]+"${play[@]}"} ||
		die "the pipeline did not finish (above); ncplocal's log: .demo/ncplocal.log"
	cmd_urls
}

cmd_up() {
	need "$BIN/tofu"
	cmd_tools
	cmd_build
	cmd_start
	cmd_apply
	cmd_sample
	cmd_upload "$SAMPLE"

	local pid
	pid="$(started_pid)"
	cat <<EOF

Demo running. ncplocal keeps running at $URL${pid:+ (pid $pid)}.

  Upload your own video:   make demo-upload FILE=path/to/video.mp4
  What ncplocal holds:     curl -s $URL/_ncplocal/inventory
  Run tofu yourself:       source .demo/env.sh && cd examples/video-pipeline && tofu plan
  ncplocal's log:          .demo/ncplocal.log
  Destroy the resources:   make demo-destroy
  Stop ncplocal:           make demo-stop
EOF
}

cmd_destroy() {
	need "$BIN/tofu" "$BIN/terraform-provider-ncp"
	healthy || die "ncplocal does not answer at $URL: start it with make demo first"
	tofu get -no-color >/dev/null || die "tofu get (the example's module) failed"
	log "tofu destroy (examples/video-pipeline)"
	tofu destroy -auto-approve -input=false -compact-warnings
}

case "${1:-up}" in
up) cmd_up ;;
tools) cmd_tools ;;
build) cmd_build ;;
start) cmd_start ;;
apply) cmd_apply ;;
sample) cmd_sample ;;
upload) cmd_upload "${2:-}" ;;
s3-upload) s3_upload "${2:?FILE}" "${3:?BUCKET}" "${4:?KEY}" ;;
urls) cmd_urls ;;
destroy) cmd_destroy ;;
stop) stop_ncplocal ;;
*)
	echo "usage: $0 [up|tools|build|start|apply|sample|upload FILE|urls|destroy|stop]" >&2
	exit 2
	;;
esac
