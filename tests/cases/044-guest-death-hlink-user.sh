# A guest killed (SIGKILL to the VMM) in the middle of fsynced writes on
# hlinkfs, with a second process syncing meanwhile so that syncs run on the
# host's worker threads: every block it had acknowledged after fsync is on
# the host with its contents, and no temporary entry is left in the export.
. "$(dirname "$0")/../lib.sh"
use_private_work
res=$HLINK_WORK/res log=$HLINK_WORK/out.log
mkdir -p "$res"
"$GUEST_RUN" --keep -r "$res" hlink-user -- "$HLINK_ROOT/tests/guest/durable-writer.py" >"$log" 2>&1 &
pid=$!
for ((i = 0; i < 600; i++)); do
	[ -f "$res/acked" ] && [ "$(wc -l <"$res/acked")" -ge 200 ] && break
	sleep 0.1
done
uml=$(pgrep -o -f "uml_dir=$HLINK_WORK/") || fail "no UML process found: $(cat "$log")"
kill -KILL "$uml"
set +e; wait $pid; set -e
acked=$(wc -l <"$res/acked")
[ "$acked" -ge 200 ] || fail "the guest acknowledged only $acked blocks: $(tail -5 "$log")"
dat=$(find "$HLINK_WORK" -path '*/export/durable.dat' | head -1)
[ -n "$dat" ] || fail "no durable.dat in the kept export"
python3 - "$dat" "$acked" <<'PY' || fail "an acknowledged block is missing or wrong on the host"
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "rb") as f:
    data = f.read()
for i in range(n):
    want = (b"%08d" % i) * 512
    if data[i * 4096:(i + 1) * 4096] != want:
        sys.exit(f"block {i} of {n} acknowledged is not on the host")
PY
extra=$(find "$(dirname "$dat")" -mindepth 1 ! -name 'durable.dat' ! -name 'busy.dat' ! -name 'scratch-[0-7]' | head -5)
[ -z "$extra" ] || fail "temporary entries left in the export: $extra"
echo "VMM killed after $acked acknowledged blocks: all on the host, nothing else left"
