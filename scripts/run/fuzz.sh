#!/bin/bash
# Fuzz the user-space host module (tests/fuzz/hlink_fuzz.c) with libFuzzer,
# ASan and UBSan, against a scratch export, in a private mount namespace in
# which every mount but the scratch area is read-only: a request that
# escapes the export fails there instead of changing the host. Afterwards
# the directory beside the export ("outside") must be as it was.
#
# usage: fuzz.sh [SECONDS]   fuzz (default 600 s); prints executions,
#                            coverage and crashes; new inputs are kept in
#                            build/fuzz/corpus, crashing ones in
#                            build/fuzz/artifacts
#        fuzz.sh --replay    replay the corpus once (no libFuzzer) and
#                            print what each record got (opcode:error)
#        fuzz.sh --merge     add to the corpus the inputs of
#                            build/fuzz/corpus that reach new coverage
#                            (libFuzzer -merge=1), write it back to
#                            tests/fuzz/corpus.tar.xz, and record its
#                            replies in tests/fuzz/expected-user.txt
# The corpus is tests/fuzz/corpus.tar.xz, read unpacked from
# build/fuzz-corpus/corpus (make tools unpacks it).
# Exit 1 on a crash, a leak, a timeout or a changed "outside".
set -euo pipefail
. "$(dirname "$0")/../common.sh"

mode=fuzz secs=600
case "${1:-}" in
	-h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	--replay) mode=replay ;;
	--merge) mode=merge ;;
	'') ;;
	*[!0-9]*) hlink_die "usage: fuzz.sh [SECONDS] | --replay" ;;
	*) secs=$1 ;;
esac
corpus=$HLINK_ROOT/build/fuzz-corpus/corpus
[ -d "$corpus" ] || hlink_die "$corpus is missing: make tools unpacks tests/fuzz/corpus.tar.xz there"
out=$HLINK_ROOT/build/fuzz
area=${HLINK_WORK:-/var/tmp/hlink}/fuzz.$$
bin=$HLINK_ROOT/build/hlink_fuzz
[ "$mode" != replay ] || bin=${bin}_replay
[ -x "$bin" ] || hlink_die "$bin is not built (make tools builds the replayer, make fuzz the fuzzer)"
# The scratch area is a file system of its own, 1 GiB: a request that
# allocates without bound (FALLOCATE of terabytes) fills it, not the host's.
mkdir -p "$out/corpus" "$out/artifacts" "$area"
trap 'umount "$area" 2>/dev/null; rm -rf "$area" "$area.img"' EXIT
truncate -s 1G "$area.img"
mkfs.ext4 -q -F "$area.img" || hlink_die "mkfs.ext4 of the scratch area failed"
mount -o loop "$area.img" "$area" || hlink_die "cannot mount the scratch area (loop device)"
mkdir -p "$area/outside/sub"
echo "secret" >"$area/outside/secret"
chmod 600 "$area/outside/secret"
snapshot() { (cd "$area/outside" && find . -printf '%p %y %m %U %G %s %l\n' | sort && find . -type f -exec sha256sum {} + | sort); }
before=$(snapshot)
touch "$area/started"

# Run "$@" with every mount read-only but $area, $out and the directories in
# rw_extra.
rw_extra=()
sandboxed() {
	unshare --mount --propagation=private -- bash -c '
		set -e
		n=$1
		shift
		findmnt -rno TARGET | sort -r | while read -r m; do
			mount -o remount,bind,ro "$m" 2>/dev/null || true
		done
		for ((i = 0; i < n; i++)); do
			mount --bind "$1" "$1"
			mount -o remount,bind,rw "$1"
			shift
		done
		cd "$HLINK_FUZZ_DIR"
		exec "$@"
	' sandbox $((2 + ${#rw_extra[@]})) "$area" "$out" "${rw_extra[@]}" "$@"
}

export HLINK_FUZZ_DIR=$area
# libFuzzer's own temporary files (merge control files) must be writable.
export TMPDIR=$area
set +e
if [ "$mode" = replay ]; then
	sandboxed "$bin" --transcript "$corpus"/*
	rc=$?
	crashes=0
elif [ "$mode" = merge ]; then
	before_n=$(ls "$corpus" | wc -l)
	rw_extra=("$corpus")
	sandboxed "$bin" -merge=1 "$corpus" "$out/corpus" 2>"$out/merge.log"
	rc=$?
	crashes=0
	echo "fuzz.sh: corpus $before_n -> $(ls "$corpus" | wc -l) inputs ($(du -sh "$corpus" | cut -f1))"
	if [ "$rc" = 0 ]; then
		tar -C "${corpus%/corpus}" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
			-cJf "$HLINK_ROOT/tests/fuzz/corpus.tar.xz" corpus || rc=1
		"$0" --replay >"$HLINK_ROOT/tests/fuzz/expected-user.txt" || rc=1
		cp "$HLINK_ROOT/tests/fuzz/expected-user.txt" "${corpus%/corpus}/"
	fi
else
	echo "fuzz.sh: ${secs} s of libFuzzer on the user-space host module; export $area/export"
	sandboxed "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 \
		-print_final_stats=1 -artifact_prefix="$out/artifacts/" \
		"$out/corpus" "$corpus" 2>"$out/fuzz.log"
	rc=$?
	grep -E '^#[0-9]+[[:space:]]+DONE|^stat::number_of_executed_units' "$out/fuzz.log" | tail -2
	crashes=$(find "$out/artifacts" -type f -newer "$area/started" | wc -l)
	echo "fuzz.sh: exit $rc; new crash, leak or timeout inputs: $crashes (in $out/artifacts); log $out/fuzz.log"
fi
set -e
after=$(snapshot)
if [ "$before" != "$after" ]; then
	echo "fuzz.sh: the directory beside the export changed:" >&2
	diff <(echo "$before") <(echo "$after") >&2 || true
	exit 1
fi
echo "fuzz.sh: nothing beside the export changed" >&2
[ "$rc" = 0 ] && [ "$crashes" = 0 ]
