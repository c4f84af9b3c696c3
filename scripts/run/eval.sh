#!/bin/bash
# Run every configuration x workload x repetition of a profile, keep the raw
# output under results/<run-id>/, then summarise it and print a table.
set -euo pipefail
. "$(dirname "$0")/../common.sh"
. "$HLINK_ROOT/scripts/run/profiles.sh"

usage() {
	cat <<EOF
usage: ${0##*/} [options]

options:
  -p, --profile NAME     quick (default), apps, full, or tiny (for tests); see
                         scripts/run/profiles.sh
  -c, --configs LIST     comma-separated configurations, or a set name:
                         "direct" (the default: every configuration that
                         runs directly on this machine), "tcg" (those
                         inside the TCG host VM: hlink-kmod and tcg-*) or
                         "ownership" (hlink-user-passthrough) or
                         "ablation" (hlink-user-readdirplus,
                         hlink-user-sync, hlink-user-copy)
                         or "virtio-fs-cache" (virtio-fs-always,
                         virtio-fs-none)
  -w, --workloads LIST   comma-separated workloads (default: the profile's)
  -n, --reps N           repetitions (default: the profile's)
  -i, --run-id ID        name of the run; an existing run is resumed, and
                         repetitions that finished are not run again
  -t, --timeout SEC      limit for one repetition (default 900)
  -C, --count-calls      also count host system calls per guest operation:
                         COUNT_RUNS extra runs per configuration and
                         workload with strace attached to every host process
                         of the configuration over the measured phase
                         (host CPU time per operation is read in every run)
  -h, --help             this text

Raw output goes to results/<run-id>/<config>/<workload>/rep-<n>/
(HLINK_RESULTS_DIR replaces results/); when the run ends, the raw
repetitions go into results/<run-id>/raw.tar.xz (scripts/analysis/runfs.py), which
the analysis reads as it is.
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

declare -F "profile_$profile" >/dev/null || hlink_die "unknown profile '$profile'; valid: quick apps full tiny"
"profile_$profile"
[ -n "$reps" ] && REPS=$reps MAX_REPS=$reps
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
profile_workloads() { python3 "$HLINK_ROOT/scripts/analysis" workloads list "$profile"; }
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
	if [ -n "$c" ] && [ -f "$HLINK_ROOT/baselines/$c.sh" ] && [ "$c" != lib ]; then
		cfg_list+=("$c")
		continue
	fi
	n=${#cfg_list[@]}
	for x in $(hlink_configs); do
		[ "$(hlink_config_var "$x" CFG_SET direct)" = "$c" ] && cfg_list+=("$x")
	done
	[ "${#cfg_list[@]}" -gt "$n" ] || hlink_check_config "$c"
done

# One kernel for the whole run, so that a rebuild meanwhile changes nothing.
kernel=$("$HLINK_ROOT/scripts/build/build-kernel.sh" --path) ||
	hlink_die "no guest kernel built for the current sources; run 'make kernel'"

run_id=${run_id:-$(date +%Y%m%d-%H%M%S)-$profile}
out=${HLINK_RESULTS_DIR:-$HLINK_ROOT/results}/$run_id
mkdir -p "$out"
# A finished run keeps its raw repetitions in one archive (scripts/analysis/runfs.py);
# resuming it puts them back as files first.
if [ -f "$out/raw.tar.xz" ]; then
	python3 "$HLINK_ROOT/scripts/analysis" runfs unpack "$out"
fi
# Host caches are dropped between runs where the kernel lets us.
drop_caches=no
if echo 1 >/proc/sys/vm/drop_caches 2>/dev/null; then
	drop_caches=yes
fi
# What this run is; written once and kept on resume (the seed with it, so a
# resumed run keeps its block orders).
if [ ! -f "$out/run.txt" ]; then
	dirty=clean
	[ -z "$(git -C "$HLINK_ROOT" status --porcelain 2>/dev/null)" ] || dirty=dirty
	{
		echo "run_id: $run_id"
		echo "profile: $profile reps=$REPS max_reps=${MAX_REPS:-$REPS} runtime=$RUNTIME ramp=$RAMP seq_mb=$SEQ_MB meta_files=$META_FILES tree_dirs=${TREE_DIRS// /,}"
		if [ "${WARMUP:-1}" = 1 ]; then
			echo "order: interleaved; block 0 is a warm-up (kept, not counted), then one block per repetition, each running every cell once in a shuffled order"
		else
			echo "order: interleaved; no warm-up block (the profile sets none); one block per repetition, each running every cell once in a shuffled order"
		fi
		echo "seed: ${HLINK_EVAL_SEED:-$RANDOM$RANDOM}"
		echo "started: $(date -Is)"
		echo "host_kernel: $(uname -r)"
		echo "guest_kernel: $kernel"
		echo "guest_mem: $HLINK_GUEST_MEM"
		echo "cpu: $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
		echo "export_backing: $(stat -f -c %T "$HLINK_WORK") ($HLINK_WORK)"
		echo "host_cache_drop_between_runs: $drop_caches (sync always)"
		echo "fio: $(fio --version 2>/dev/null || echo none)"
		echo "qemu: $(qemu-storage-daemon --version 2>/dev/null | head -n1 || echo none)"
		echo "vm_accel: $("$HLINK_ROOT/scripts/run/vm-accel.sh" 2>&1 || true) (the TCG entries' host VM)"
		echo "commit: $(git -C "$HLINK_ROOT" rev-parse HEAD 2>/dev/null || echo none) ($dirty)"
	} >"$out/run.txt"
fi
seed=$(sed -n 's/^seed: //p' "$out/run.txt")

# The cells, and each block's order: a shuffle seeded by the run's seed and
# the block number, so a resumed run repeats it.
cells=()
for c in "${cfg_list[@]}"; do
	for w in "${wl_list[@]}"; do
		cells+=("$c/$w")
	done
done
block_order() {
	printf '%s\n' "${cells[@]}" | python3 -c '
import random, sys
cells = sys.stdin.read().split()
random.Random(sys.argv[1]).shuffle(cells)
print("\n".join(cells))' "$seed-$1"
}

max_reps=${MAX_REPS:-$REPS}
first_block=$((1 - ${WARMUP:-1}))
total=$((${#cells[@]} * (REPS + 1 - first_block + COUNT_RUNS * count_calls)))
n=0 ran=0 ran_secs=0 failed=0
hlink_log "run $run_id: ${#cfg_list[@]} configurations x ${#wl_list[@]} workloads, $([ "$first_block" = 0 ] && echo "a warm-up block and ")$REPS counted blocks$([ "$max_reps" -gt "$REPS" ] && echo " (up to $max_reps until the headline intervals are within +-5%)") = $total runs"

# The host's state, for the record of one run: load, CPU (steal is the 8th
# value of the cpu line), pressure.
host_state() {
	echo "time: $(date +%s.%N)"
	echo "loadavg: $(cat /proc/loadavg)"
	echo "cpu: $(head -n 1 /proc/stat)"
	local f
	for f in /proc/pressure/*; do
		[ -r "$f" ] && sed "s|^|pressure_${f##*/}: |" "$f"
	done
	return 0
}
# One run of cell $2 (config/workload) into directory $1; the rest are
# guest-run options. Sets rc; a finished run is kept and skipped when the run
# is resumed. Next to the raw output: host.txt (the host's load, CPU and
# pressure before and after, block and position) and vmstat.txt (a vmstat 1
# trace during the run).
run_one() {
	local d=$1 cell=$2 c=${2%/*} w=${2#*/} wf t0 vm
	shift 2
	rc=0
	n=$((n + 1))
	[ -f "$out/$c/not-run.txt" ] || [ -f "$out/$c/$w/not-run.txt" ] && return 0
	if [ -f "$d/status" ] && [ "$(cat "$d/status")" = 0 ]; then
		return 0
	fi
	wf=$(workload_file "$w")
	eta=
	[ "$ran" -gt 0 ] && eta=", about $(((total - n + 1) * ran_secs / ran)) s left"
	hlink_log "[$n/$total] $c ${d#"$out/$c/"}$eta"
	rm -rf "$d"
	mkdir -p "$d"
	sync
	[ "$drop_caches" = no ] || echo 3 >/proc/sys/vm/drop_caches
	{ echo "cell: $cell"; echo "where: $where"; host_state | sed 's/^/before_/'; } >"$d/host.txt"
	vmstat -n 1 >"$d/vmstat.txt" 2>&1 &
	vm=$!
	t0=$SECONDS
	set +e
	# shellcheck disable=SC2046
	"$HLINK_ROOT/scripts/run/guest-run" -k "$kernel" -t "$timeout" -r "$d" -l "$d/console.log" \
		-M "$d/cost" "$@" "$c" -- \
		env HLINK_MEASURE=1 $(workload_env) $(cat "$out/$c/$w/needs.env" 2>/dev/null) \
		"$HLINK_ROOT/scripts/run/run-workload.sh" "$wf" >"$d/runner.log" 2>&1
	rc=$?
	set -e
	kill "$vm" 2>/dev/null || true
	wait "$vm" 2>/dev/null || true
	# The measured phase's handshake files (scripts/run/measure-mark.sh).
	rm -f "$d"/measure.{start,go,end,done}
	host_state | sed 's/^/after_/' >>"$d/host.txt"
	ran=$((ran + 1)) ran_secs=$((ran_secs + SECONDS - t0))
	if [ "$rc" = 77 ]; then
		# The workload's own "not run" covers it alone; else the whole config.
		if [ -f "$d/not-run.txt" ]; then
			mv "$d/not-run.txt" "$out/$c/$w/not-run.txt"
			hlink_log "$c: $(cat "$out/$c/$w/not-run.txt")"
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

# The workload files as they were, once per run; a resumed run must still
# have the same ones.
mkdir -p "$out/workloads"
for w in "${wl_list[@]}"; do
	wf=$(workload_file "$w")
	if [ -f "$out/workloads/${wf##*/}" ]; then
		cmp -s "$wf" "$out/workloads/${wf##*/}" ||
			hlink_die "workloads/${wf##*/} changed since run $run_id started; resume it from that commit, or start a new run"
	else
		cp "$wf" "$out/workloads/"
	fi
done

# Per cell, once: the configuration as it was, and host-side needs ("#
# needs:" in the header), which prepare inputs and hand them over as
# environment, or say why the workload cannot run.
for c in "${cfg_list[@]}"; do
	mkdir -p "$out/$c"
	cp "$HLINK_ROOT/baselines/$c.sh" "$out/$c/config.sh"
	rm -f "$out/$c/not-run.txt"
	for w in "${wl_list[@]}"; do
		wf=$(workload_file "$w")
		mkdir -p "$out/$c/$w"
		rm -f "$out/$c/$w/not-run.txt" "$out/$c/$w/needs.env"
		needs=$(hlink_workload_header "$wf" needs)
		# The guest is told the list, so it need not start Python to read it.
		echo "HLINK_NEEDS=${needs// /,}" >"$out/$c/$w/needs.env"
		for need in $needs; do
			prep=$HLINK_ROOT/scripts/run/needs/$need.host.sh
			[ -x "$prep" ] || continue
			# shellcheck disable=SC2046
			if ! env_line=$(env $(workload_env) "$prep"); then
				echo "$env_line" >"$out/$c/$w/not-run.txt"
				hlink_log "$c $w: $env_line"
			else
				echo "$env_line" >>"$out/$c/$w/needs.env"
			fi
		done
	done
done

# Block 0 warms every cell up; blocks 1..REPS are the counted repetitions.
run_block() {
	local b=$1 cell k=0 dir
	for cell in $(block_order "$b"); do
		k=$((k + 1))
		where="block $b, position $k of ${#cells[@]}"
		dir=rep-$b
		[ "$b" = 0 ] && dir=warmup
		run_one "$out/$cell/$dir" "$cell"
	done
}
for ((b = first_block; b <= REPS; b++)); do
	run_block "$b"
done
# The full profile adds blocks until every headline interval is within
# +-5% of its centre, or MAX_REPS; run.txt says where it stopped.
if [ "$max_reps" -gt "$REPS" ]; then
	for ((b = REPS + 1; ; b++)); do
		python3 "$HLINK_ROOT/scripts/analysis" results summarize "$out" 2>/dev/null
		if wide=$(python3 "$HLINK_ROOT/scripts/analysis" results converged "$out" --within 5); then
			echo "stopped: after $((b - 1)) blocks, every headline interval within +-5%" >>"$out/run.txt"
			break
		fi
		if [ "$b" -gt "$max_reps" ]; then
			echo "stopped short: at the cap of $max_reps blocks; wider than +-5%: $wide" >>"$out/run.txt"
			break
		fi
		total=$((total + ${#cells[@]}))
		run_block "$b"
	done
fi

# Host calls per operation: COUNT_RUNS runs per cell with strace attached
# over the measured phase, after the blocks, without a ramp (its I/O is not
# in fio's count) and with a quarter of the metadata files (a count per
# operation needs no more; strace makes some stacks 100x slower).
if [ "$count_calls" = 1 ]; then
	for cell in "${cells[@]}"; do
		for ((k = 1; k <= COUNT_RUNS; k++)); do
			where="host-call count $k"
			(
				RAMP=0 META_FILES=$((META_FILES / 4))
				run_one "$out/$cell/calls-$k" "$cell" -s
				# A VMM stopped after strace let go (guest-run: 124) gets one more try.
				if [ "$rc" = 124 ] && grep -q "after strace detached" "$out/$cell/calls-$k/runner.log"; then
					hlink_log "$cell calls-$k: the VMM hung after strace detached; once more"
					run_one "$out/$cell/calls-$k" "$cell" -s
				fi
				exit "$rc"
			) || failed=$((failed + 1))
			n=$((n + 1)) ran=$((ran + 1))
		done
	done
fi
echo "ended: $(date -Is)" >>"$out/run.txt"

python3 "$HLINK_ROOT/scripts/analysis" results summarize "$out"
python3 "$HLINK_ROOT/scripts/analysis" results table "$out" --baseline native
python3 "$HLINK_ROOT/scripts/analysis" plot "$out" >/dev/null && hlink_log "plots and index page: $out/index.md ($out/plots/)"
python3 "$HLINK_ROOT/scripts/analysis" runfs pack "$out"
hlink_log "results in $out ($ran runs made, $failed failed)"
[ "$failed" = 0 ]
