#!/bin/bash
# Run every configuration x workload x repetition of a profile, keep the raw
# output under results/<run-id>/, then summarise it and print a table.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$HLINK_ROOT/scripts/profiles.sh"

usage() {
	cat <<EOF
usage: ${0##*/} [options]

options:
  -p, --profile NAME     quick (default), full, or tiny (for tests); see
                         scripts/profiles.sh
  -c, --configs LIST     comma-separated configurations, or a set name:
                         "direct" (the default: every configuration that
                         runs directly on this machine) or "tcg" (those
                         inside the TCG host VM: hlink-kmod and tcg-*)
  -w, --workloads LIST   comma-separated workloads (default: the profile's)
  -n, --reps N           repetitions (default: the profile's)
  -i, --run-id ID        name of the run; an existing run is resumed, and
                         repetitions that finished are not run again
  -t, --timeout SEC      limit for one repetition (default 900)
  -C, --count-calls      also count host system calls per guest operation
                         (two extra runs per configuration and workload,
                         under strace; see scripts/profiles.sh)
  -h, --help             this text

Raw output goes to results/<run-id>/<config>/<workload>/rep-<n>/
(HLINK_RESULTS_DIR replaces results/).
EOF
}

profile=quick configs= workloads= reps= run_id= timeout=900 count_calls=0
while [ $# -gt 0 ]; do
	case "$1" in
		-p|--profile) profile=${2:?}; shift 2 ;;
		-c|--configs) configs=${2:?}; shift 2 ;;
		-w|--workloads) workloads=${2:?}; shift 2 ;;
		-n|--reps) reps=${2:?}; shift 2 ;;
		-i|--run-id) run_id=${2:?}; shift 2 ;;
		-t|--timeout) timeout=${2:?}; shift 2 ;;
		-C|--count-calls) count_calls=1; shift ;;
		-h|--help) usage; exit 0 ;;
		*) usage >&2; exit 2 ;;
	esac
done

declare -F "profile_$profile" >/dev/null || hlink_die "unknown profile '$profile'; valid: quick full tiny"
"profile_$profile"
[ -n "$reps" ] && REPS=$reps
[[ $REPS =~ ^[1-9][0-9]*$ ]] || hlink_die "--reps wants a positive number"

# The file of workload $1.
workload_file() {
	local f
	for f in "$HLINK_ROOT"/workloads/"$1".{fio,sh,py}; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}
# The workloads whose header names this profile.
profile_workloads() {
	local f n
	for f in "$HLINK_ROOT"/workloads/*.{fio,sh,py}; do
		[ -f "$f" ] || continue
		n=${f##*/}
		grep -Eq "^# profiles:.*\b$profile\b" "$f" && echo "${n%.*}"
	done
	return 0
}
if [ -n "$workloads" ]; then
	IFS=, read -ra wl_list <<<"$workloads"
	for w in "${wl_list[@]}"; do
		workload_file "$w" >/dev/null ||
			hlink_die "unknown workload '$w'; valid: $(profile_workloads | tr '\n' ' ')"
	done
else
	mapfile -t wl_list < <(profile_workloads)
fi
# A configuration's set is its CFG_SET (default "direct").
cfg_list=()
IFS=, read -ra names <<<"${configs:-direct}"
for c in "${names[@]}"; do
	if [ "$c" = direct ] || [ "$c" = tcg ]; then
		for x in $(hlink_configs); do
			[ "$(hlink_config_var "$x" CFG_SET direct)" = "$c" ] && cfg_list+=("$x")
		done
	else
		hlink_check_config "$c"
		cfg_list+=("$c")
	fi
done

# One kernel for the whole run, so that a rebuild meanwhile changes nothing.
kernel=$("$HLINK_ROOT/scripts/build-kernel.sh" --path) ||
	hlink_die "no guest kernel built for the current sources; run 'make kernel'"

run_id=${run_id:-$(date +%Y%m%d-%H%M%S)-$profile}
out=${HLINK_RESULTS_DIR:-$HLINK_ROOT/results}/$run_id
mkdir -p "$out"
# What this run is; written once and kept on resume.
if [ ! -f "$out/run.txt" ]; then
	{
		echo "run_id: $run_id"
		echo "profile: $profile reps=$REPS runtime=$RUNTIME"
		echo "started: $(date -Is)"
		echo "host_kernel: $(uname -r)"
		echo "guest_kernel: $kernel"
		echo "fio: $(fio --version 2>/dev/null || echo none)"
		echo "qemu: $(qemu-storage-daemon --version 2>/dev/null | head -n1 || echo none)"
		echo "commit: $(git -C "$HLINK_ROOT" rev-parse HEAD 2>/dev/null || echo none)"
	} >"$out/run.txt"
fi

per_workload=$((REPS + 2 * count_calls))
total=$((${#cfg_list[@]} * ${#wl_list[@]} * per_workload))
n=0 ran=0 ran_secs=0 failed=0
hlink_log "run $run_id: ${#cfg_list[@]} configurations x ${#wl_list[@]} workloads x $per_workload runs = $total runs"

# One run of workload file $3 on configuration $2 into directory $1; the
# rest are guest-run options. Sets rc; a finished run is kept and skipped
# when the run is resumed.
run_one() {
	local d=$1 c=$2 wf=$3 t0
	shift 3
	rc=0
	[ -f "$out/$c/not-run.txt" ] || [ -f "${d%/*}/not-run.txt" ] && return 0
	if [ -f "$d/status" ] && [ "$(cat "$d/status")" = 0 ]; then
		return 0
	fi
	eta=
	[ "$ran" -gt 0 ] && eta=", about $(((total - n + 1) * ran_secs / ran)) s left"
	hlink_log "[$n/$total] $c ${d#"$out/$c/"}$eta"
	rm -rf "$d"
	mkdir -p "$d"
	cp "$wf" "$d/"
	t0=$SECONDS
	set +e
	# shellcheck disable=SC2046
	"$HLINK_ROOT/scripts/guest-run" -k "$kernel" -t "$timeout" -r "$d" -l "$d/console.log" "$@" "$c" -- \
		env $(workload_env) $needs_env "$HLINK_ROOT/scripts/run-workload.sh" "$wf" >"$d/runner.log" 2>&1
	rc=$?
	set -e
	ran=$((ran + 1)) ran_secs=$((ran_secs + SECONDS - t0))
	if [ "$rc" = 77 ]; then
		# The workload's own "not run" covers it alone; else the whole config.
		if [ -f "$d/not-run.txt" ]; then
			mv "$d/not-run.txt" "${d%/*}/not-run.txt"
			hlink_log "$c: $(cat "${d%/*}/not-run.txt")"
		else
			grep '^not run:' "$d/runner.log" >"$out/$c/not-run.txt" ||
				echo "not run: $c (no reason given)" >"$out/$c/not-run.txt"
			hlink_log "$(cat "$out/$c/not-run.txt")"
		fi
		rm -rf "$d"
		return 0
	fi
	if [ "$rc" = 78 ]; then
		# Setup or the build is incomplete: a failure, said once per config.
		{ echo -n "not run (setup incomplete): "; grep 'error:' "$d/runner.log" | tail -n 1; } >"$out/$c/not-run.txt"
		failed=$((failed + 1))
		hlink_log "$(cat "$out/$c/not-run.txt")"
		rm -rf "$d"
		return 0
	fi
	echo "$rc" >"$d/status"
	if [ "$rc" != 0 ]; then
		failed=$((failed + 1))
		hlink_log "$c ${d#"$out/"} failed with status $rc; see $d/runner.log"
	fi
}
for c in "${cfg_list[@]}"; do
	mkdir -p "$out/$c"
	cp "$HLINK_ROOT/baselines/$c.sh" "$out/$c/config.sh"
	rm -f "$out/$c/not-run.txt"
	for w in "${wl_list[@]}"; do
		wf=$(workload_file "$w")
		rm -f "$out/$c/$w/not-run.txt"
		# Host-side needs ("# needs:" in the header) prepare inputs and
		# hand them over as environment, or say why the workload cannot run.
		needs_env=
		for need in $(sed -n 's/^# needs://p' "$wf"); do
			prep=$HLINK_ROOT/scripts/needs/$need.host.sh
			[ -x "$prep" ] || continue
			mkdir -p "$out/$c/$w"
			if ! env_line=$("$prep"); then
				echo "$env_line" >"$out/$c/$w/not-run.txt"
				hlink_log "$c $w: $env_line"
			fi
			needs_env="$needs_env $env_line"
		done
		for ((r = 1; r <= REPS; r++)); do
			n=$((n + 1))
			run_one "$out/$c/$w/rep-$r" "$c" "$wf"
		done
		[ "$count_calls" = 1 ] || continue
		for k in 1 2; do
			n=$((n + 1))
			(
				count_scale $k
				run_one "$out/$c/$w/calls-$k" "$c" "$wf" -s "$out/$c/$w/calls-$k/strace.txt"
				exit "$rc"
			) || failed=$((failed + 1))
		done
	done
done

python3 "$HLINK_ROOT/scripts/results.py" summarize "$out"
python3 "$HLINK_ROOT/scripts/results.py" table "$out" --baseline native
hlink_log "results in $out ($ran runs made, $failed failed)"
[ "$failed" = 0 ]
