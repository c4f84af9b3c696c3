#!/bin/bash
# Long reliability runs (make stress): the data-integrity exerciser
# (tests/guest/fsx.py: writes, mmap writes, truncates, every fallocate mode,
# copy_file_range, each read checked against a model) at scale on hlinkfs,
# and two guests sharing one export under load (tests/guest/shared-load.py),
# on hlink-user and through hlink.ko in the TCG VM.
#
# usage: stress.sh [options]
#   -n, --ops N       operations on hlink-user, split over the seeds
#                     (default 1000000; 0: skip)
#   -k, --seeds K     seeds (default 4); each is printed, so a failure can
#                     be replayed with fsx.py -s SEED -n OPS
#   -c, --churn N     operations with a host-side writer changing other
#                     files of the export meanwhile (default 250000; 0: skip)
#   -K, --kmod N      operations on hlink-kmod, in the TCG VM (default
#                     20000; 0: skip)
#   -s, --shared SEC  two hlink-user guests on one export, JOBS jobs each,
#                     for SEC seconds (default 600; 0: skip)
#   -j, --jobs JOBS   jobs per guest in the shared run (default 4)
#   -S, --kmod-shared SEC
#                     two hlink-kmod guests in one TCG VM on one export
#                     through the same hlink.ko, KJOBS jobs each, for SEC
#                     seconds; hlink.ko's counters must be back to zero
#                     after (default 120; 0: skip)
#   -J, --kmod-jobs KJOBS
#                     jobs per guest in that run (default 2)
#   -o, --out DIR     where the logs and stress.csv go (default
#                     results/stress-DATE)
#   -h, --help        this text
# Prints, per run, the seed, operations, failures and operations per second
# (also in OUT/stress.csv; the shared runs: over both guests); exits 1 if any
# run failed.
set -euo pipefail
. "$(dirname "$0")/../common.sh"
ops=1000000 seeds=4 churn=250000 kmod=20000 shared=600 jobs=4 kshared=120 kjobs=2 out=
while [ $# -gt 0 ]; do
	case $1 in
		-n|--ops) ops=$2; shift ;;
		-k|--seeds) seeds=$2; shift ;;
		-c|--churn) churn=$2; shift ;;
		-K|--kmod) kmod=$2; shift ;;
		-s|--shared) shared=$2; shift ;;
		-j|--jobs) jobs=$2; shift ;;
		-S|--kmod-shared) kshared=$2; shift ;;
		-J|--kmod-jobs) kjobs=$2; shift ;;
		-o|--out) out=$2; shift ;;
		-h|--help) sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
		*) hlink_die "unknown option '$1' (see --help)" ;;
	esac
	shift
done
for v in "$ops" "$seeds" "$churn" "$kmod" "$shared" "$jobs" "$kshared" "$kjobs"; do
	[[ $v =~ ^[0-9]+$ ]] || hlink_die "counts must be whole numbers, not '$v'"
done
[ "$seeds" -ge 1 ] || hlink_die "--seeds must be at least 1"
out=${out:-$HLINK_ROOT/results/stress-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
fsx=$HLINK_ROOT/tests/guest/fsx.py
failed=0 total=0
summary=$out/stress.csv
echo "config,host_churn,seed,ops,failures,seconds,ops_per_s" >"$summary"

# run NAME CONFIG CHURN OPS SEED: one exerciser run in a fresh guest.
run() {
	local name=$1 cfg=$2 churn=$3 n=$4 seed=$5 log=$out/$1.log t0 t1 rc=0 fails=0 cmd
	cmd=(python3 "$fsx" -n "$n" -s "$seed")
	[ "$churn" = 1 ] && cmd=("$HLINK_ROOT/tests/guest/host-view.sh" "$HLINK_ROOT/tests/guest/host-churn.sh" "${cmd[@]}")
	echo "stress: $name: $cfg, seed $seed, $n operations$([ "$churn" = 1 ] && echo ", host-side churn")" >&2
	t0=$(date +%s)
	"$HLINK_ROOT/scripts/run/guest-run" -t $((600 + n / 20)) "$cfg" -- "${cmd[@]}" >"$log" 2>&1 || rc=$?
	t1=$(date +%s)
	grep -q "operations clean" "$log" && [ "$rc" = 0 ] || { fails=1; failed=1; }
	total=$((total + n))
	echo "$cfg,$churn,$seed,$n,$fails,$((t1 - t0)),$((n / (t1 - t0 > 0 ? t1 - t0 : 1)))" >>"$summary"
	grep -E "^fsx: .*(clean|FAILED)|^host-churn:" "$log" >&2 || true
	[ "$fails" = 0 ] || echo "stress: $name FAILED (status $rc); log $log; replay: fsx.py -s $seed -n $n" >&2
}

seed_of() { od -An -N4 -tu4 /dev/urandom | tr -d ' '; }
[ "$ops" = 0 ] || for k in $(seq 1 "$seeds"); do
	run "user-$k" hlink-user 0 $((ops / seeds)) "$(seed_of)"
done
[ "$churn" = 0 ] || run user-churn hlink-user 1 "$churn" "$(seed_of)"
if [ "$kmod" != 0 ]; then
	if "$HLINK_ROOT/scripts/run/guest-run" -t 60 hlink-kmod -- true >/dev/null 2>&1; then
		run kmod hlink-kmod 0 "$kmod" "$(seed_of)"
	else
		echo "stress: hlink-kmod not run: the TCG VM cannot start here (make kmod-vm)" >&2
	fi
fi
# load_ops LOG...: the operations shared-load.py's jobs report in the logs
# (0 for a log that is missing).
load_ops() {
	awk '/^shared-load: guest .* operations,/ { for (i = 1; i <= NF; i++) if ($i == "operations,") n += $(i - 1) }
		END { print n + 0 }' "$@" 2>/dev/null || echo 0
}

# shared_run: two guests, one export, for $shared seconds; then the tree is
# checked on the host against every job's record, and the peak memory of
# each guest's VMM (which holds the user-space host module) is printed.
shared_run() {
	local dir=$out/shared tree peak=0 pids=() g rc=0 rss n
	tree=$(mktemp -d /var/tmp/hlink-shared.XXXXXX)
	mkdir -p "$dir/g1" "$dir/g2" "$tree/tree"
	echo "stress: shared: two hlink-user guests on $tree, $jobs jobs each, $shared s" >&2
	for g in 1 2; do
		"$HLINK_ROOT/scripts/run/guest-run" -t $((shared + 300)) -e "$tree" -r "$dir/g$g" hlink-user -- \
			python3 "$HLINK_ROOT/tests/guest/shared-load.py" --guest "$g" --jobs "$jobs" \
			--seconds "$shared" --dir '$HLINK_MNT/tree' --out '$HLINK_RESULTS' \
			>"$dir/g$g.log" 2>&1 &
		pids+=($!)
	done
	# Peak resident memory of the guests' VMM processes (their kernel's memory included).
	while kill -0 "${pids[@]}" 2>/dev/null; do
		rss=$(pgrep -f "hlinkfs.exports=.*" | xargs -r ps -o rss= -p 2>/dev/null | sort -n | tail -1) || true
		[ -n "$rss" ] && [ "$rss" -gt "$peak" ] && peak=$rss
		sleep 1
	done
	for g in 1 2; do wait "${pids[$((g - 1))]}" || rc=1; done
	grep -h "^shared-load" "$dir"/g?.log >&2 || true
	python3 "$HLINK_ROOT/tests/guest/shared-load.py" --check --dir "$tree/tree" "$dir/g1" "$dir/g2" \
		>"$dir/check.log" 2>&1 || rc=1
	cat "$dir/check.log" >&2
	n=$(load_ops "$dir"/g?.log)
	echo "stress: shared: $n operations in $shared s over both guests ($((n / shared / 2)) ops/s per guest);" \
		"peak VMM resident memory $((peak / 1024)) MiB" >&2
	echo "hlink-user-shared,0,-,$n,$rc,$shared,$((n / shared))" >>"$summary"
	total=$((total + n))
	rm -rf "$tree"
	[ "$rc" = 0 ] || { failed=1; echo "stress: shared run FAILED; logs in $dir" >&2; }
}
[ "$shared" = 0 ] || shared_run
# kmod_shared_run: the same through hlink.ko, for $kshared seconds: the TCG VM
# runs tests/guest/kmod-shared.sh (guest-run --host-vm), which boots both
# guests inside it on a directory of its disk, checks the tree there, and
# reads hlink.ko's counters before, at peak and after the guests.
kmod_shared_run() {
	local dir=$out/kmod-shared rc=0 n=0 ng g per=
	mkdir -p "$dir"
	echo "stress: kmod-shared: two hlink-kmod guests in one TCG VM, one export, $kjobs jobs each, $kshared s" >&2
	# The VM's limit: its boot, and the guests' own (SEC + 900 each, at once).
	"$HLINK_ROOT/scripts/run/guest-run" -H -t $((kshared + 1800)) -r "$dir" hlink-kmod -- \
		"$HLINK_ROOT/tests/guest/kmod-shared.sh" "$kshared" "$kjobs" >"$dir/vm.log" 2>&1 || rc=$?
	case $rc in
		77|78) echo "stress: kmod-shared not run: the TCG VM cannot start here (make kmod-vm)" >&2; return ;;
		0) ;;
		*) rc=1 ;;
	esac
	grep -h "^shared-load" "$dir"/g?.log >&2 || true
	grep -h "^shared-load: check\|^kmod-shared" "$dir/vm.log" >&2 || true
	for g in 1 2; do
		ng=$(load_ops "$dir/g$g.log")
		per+="${per:+, }guest $g $ng ($((ng / kshared)) ops/s)"
		n=$((n + ng))
	done
	echo "stress: kmod-shared: $n operations in $kshared s: $per" >&2
	echo "hlink-kmod-shared,0,-,$n,$rc,$kshared,$((n / kshared))" >>"$summary"
	total=$((total + n))
	[ "$rc" = 0 ] || { failed=1; echo "stress: kmod-shared run FAILED; logs in $dir" >&2; }
}
[ "$kshared" = 0 ] || kmod_shared_run
echo "stress: $total operations, $(awk -F, 'NR > 1 { f += $5 } END { print f + 0 }' "$summary") failed runs; $summary" >&2
awk -F, '{ printf "%-18s %-10s %-11s %-8s %-9s %-8s %s\n", $1, $2, $3, $4, $5, $6, $7 }' "$summary" >&2
exit "$failed"
