#!/usr/bin/env bash
# The local demo: examples/video-pipeline applied against ncplocal.
#
# Usage (normally through make):
#   scripts/demo.sh up       make demo          start ncplocal (or reuse a running one), apply, check the plan is empty
#   scripts/demo.sh destroy  make demo-destroy  tofu destroy the example (ncplocal must be running)
#   scripts/demo.sh stop     make demo-stop     stop the ncplocal that `up` started
#
# Expects bin/tofu, bin/terraform-provider-ncp and bin/ncplocal (the make
# targets build them). Everything the demo writes lives in .demo/, except the
# example's state file (examples/video-pipeline/terraform.tfstate).
#
# Environment:
#   NCPLOCAL_ADDR  listen address of ncplocal (default 127.0.0.1:4510)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/bin"
DEMO_DIR="$ROOT/.demo"
EXAMPLE_DIR="$ROOT/examples/video-pipeline"
PID_FILE="$DEMO_DIR/ncplocal.pid"
LOG_FILE="$DEMO_DIR/ncplocal.log"
DATA_DIR="$DEMO_DIR/ncplocal-data"
ENV_FILE="$DEMO_DIR/env.sh"

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
	${launcher[@]+"${launcher[@]}"} "$BIN/ncplocal" -addr "$ADDR" -data-dir "$DATA_DIR" -log \
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
export PATH="$BIN:\$PATH"
EOF
}

cmd_up() {
	need "$BIN/tofu" "$BIN/terraform-provider-ncp" "$BIN/ncplocal"
	mkdir -p "$DEMO_DIR"
	# The CLI configuration with dev_overrides (make writes it too).
	"$ROOT/scripts/write-tofurc.sh" "$BIN" "$BIN/tofurc" "$BIN/tofurc-test"

	start_ncplocal
	write_env_file

	# No `tofu init`: every provider of the example (only ncplabs/ncp) is
	# loaded through dev_overrides, which OpenTofu 1.12 uses without init.
	# init would still ask registry.opentofu.org for ncplabs/ncp and fail
	# where the provider is not published or the machine is offline.
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

	local pid
	pid="$(started_pid)"
	cat <<EOF

Demo applied. ncplocal keeps running at $URL${pid:+ (pid $pid)}.

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
	log "tofu destroy (examples/video-pipeline)"
	tofu destroy -auto-approve -input=false -compact-warnings
}

case "${1:-up}" in
up) cmd_up ;;
destroy) cmd_destroy ;;
stop) stop_ncplocal ;;
*)
	echo "usage: $0 [up|destroy|stop]" >&2
	exit 2
	;;
esac
