#!/bin/bash
# The host side of a measured phase (started by guest-run -M; -s adds strace):
# waits for the workload's start mark, reads the CPU time of every host
# process of the configuration (the launched process group and the daemons),
# optionally attaches strace -c to them, answers; at the end mark it reads
# again, detaches and answers. Output:
#   OUT.cpu     cpu_ticks (user + system over the phase), clk_tck, seconds,
#               host_cache (kept, or dropped at the start on request), and
#               the processes read
#   OUT.strace.1, OUT.strace.2
#               strace -c summaries over the phase (with --strace): of the
#               VMM's own threads, and of every other process, followed
# The UML kernel process ptraces the guest's processes, so those are left to
# it and UML's own threads are attached one by one, never followed (-f would
# take its new guest processes from it); every other process is followed.
#
# usage: measure-host.sh [--strace] RESULTS_DIR OUT PGID [PID...]
set -u
trace=0
[ "${1:-}" = --strace ] && { trace=1; shift; }
res=$1 out=$2 pgid=$3
shift 3
extra=("$@")

wait_for() {
	while [ ! -e "$res/$1" ]; do
		kill -0 "$pgid" 2>/dev/null || exit 0
		sleep 0.02
	done
}

# Every process of the configuration, now: the launched group, the daemons,
# and all their descendants (fio, for one, puts its jobs in new sessions).
procs() {
	local roots
	roots=$({ pgrep -g "$pgid"; printf '%s\n' "${extra[@]}"; } | grep -x '[0-9]\+' | tr '\n' ' ')
	ps -e -o pid=,ppid= | awk -v roots="$roots" '
		BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) keep[r[i]] = 1 }
		{ parent[$1] = $2 }
		END {
			do {
				grew = 0
				for (p in parent)
					if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; grew = 1 }
			} while (grew)
			for (p in keep) if (p in parent) print p
		}' | sort -un
}

# utime + stime (fields 14 and 15 of /proc/PID/stat) of process $1, in
# clock ticks; empty if it is gone.
ticks() {
	local f
	f=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	f=${f##*) }
	read -ra f <<<"$f"
	echo $((f[11] + f[12]))
}

tracer_of() { awk '/^TracerPid:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

wait_for measure.start
# A host-cold phase (measure-mark.sh --cold-host): drop the host's caches
# before the first reading, so the drop is not counted; a drop that cannot be
# made fails the phase rather than measure a warm host as a cold one.
host_cache=kept
if grep -qx drop-host-cache "$res/measure.start"; then
	if sync && echo 3 2>/dev/null >/proc/sys/vm/drop_caches; then
		host_cache=dropped
	else
		echo "the host's caches could not be dropped (/proc/sys/vm/drop_caches)" >"$res/.measure.go"
		mv "$res/.measure.go" "$res/measure.go"
		exit 0
	fi
fi
mapfile -t ps < <(procs)
own=() follow=()
for p in "${ps[@]}"; do
	[ "$(tracer_of "$p")" = 0 ] || continue	# a guest process: UML's to trace
	if [ -n "$(for c in $(pgrep -P "$p"); do [ "$(tracer_of "$c")" = "$p" ] && echo t; done)" ]; then
		for t in /proc/"$p"/task/*; do
			own+=(-p "${t##*/}")
		done
	else
		follow+=(-p "$p")
	fi
done
declare -A start
for p in "${ps[@]}"; do
	start[$p]=$(ticks "$p")
done
t0=$(date +%s.%N)
# Two tracers: a tracer's own threads one by one, everything else followed.
spids=()
if [ "$trace" = 1 ]; then
	[ ${#own[@]} = 0 ] || { strace -c -o "$out.strace.1" "${own[@]}" 2>>"$out.strace.log" & spids+=($!); }
	[ ${#follow[@]} = 0 ] || { strace -c -f -o "$out.strace.2" "${follow[@]}" 2>>"$out.strace.log" & spids+=($!); }
	# Answer only once every named task is attached.
	for ((i = 0; i < 250; i++)); do
		left=0
		for a in "${own[@]}" "${follow[@]}"; do
			[ "$a" = -p ] && continue
			tr=$(tracer_of "$a")
			[ -z "$tr" ] || [ "$tr" != 0 ] || left=$((left + 1))
		done
		[ "$left" = 0 ] && break
		sleep 0.02
	done
fi
: >"$res/measure.go"
wait_for measure.end
# A process that started in the phase counts whole; one that ended in it is
# lost (its time cannot be read any more): the "processes" lines say which.
mapfile -t ps2 < <(procs)
t1=$(date +%s.%N)
sum=0
for p in "${ps2[@]}"; do
	now=$(ticks "$p")
	[ -n "$now" ] || continue
	sum=$((sum + now - ${start[$p]:-0}))
done
gone=()
for p in "${ps[@]}"; do
	[ -e "/proc/$p" ] || gone+=("$p")
done
for p in "${spids[@]}"; do
	kill -INT "$p" 2>/dev/null
	wait "$p"
done
{
	echo "cpu_ticks: $sum"
	echo "clk_tck: $(getconf CLK_TCK)"
	echo "seconds: $(echo "$t1 - $t0" | bc)"
	echo "host_cache: $host_cache"
	echo "processes_at_start: ${ps[*]}"
	echo "processes_at_end: ${ps2[*]}"
	echo "processes_gone: ${gone[*]}"
} >"$out.cpu"
: >"$res/measure.done"
