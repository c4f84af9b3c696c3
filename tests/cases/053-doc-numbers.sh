# Every number in the README, docs/ and paper/ comes from a committed run: each
# generated region is rebuilt from its results.py command over the raw files
# and must match; every committed summary matches its raw files. And the
# check can fail: a changed figure is caught.
. "$(dirname "$0")/../lib.sh"
docs=("$HLINK_ROOT/README.md" "$HLINK_ROOT"/docs/*.md "$HLINK_ROOT"/paper/*.md)
capture python3 "$HLINK_ROOT/scripts/analysis" doc-numbers check "${docs[@]}"
echo "$out"
[ "$rc" = 0 ] || fail "generated numbers differ from their runs"
grep -q 'generated regions match' <<<"$out" || fail "no generated region was checked"
[ "$(grep -c '<!-- generated: \|<!-- g: ' "$HLINK_ROOT/README.md")" -gt 0 ] || fail "the README has no generated numbers"
copy=$(mktemp --suffix=.md)
trap 'rm -f "$copy"' EXIT
# Change one digit inside the first generated region.
python3 - "$HLINK_ROOT/README.md" "$copy" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
m = re.search(r"<!-- (?:generated|g): .*? -->[^\d]*?(\d)", s, re.S)
d = str((int(m.group(1)) + 1) % 10)
open(sys.argv[2], "w").write(s[:m.start(1)] + d + s[m.end(1):])
PY
capture python3 "$HLINK_ROOT/scripts/analysis" doc-numbers check "$copy"
[ "$rc" = 1 ] || fail "a changed figure was not caught: $out"
echo "ok - a changed figure is caught"
# Every committed run's summary still matches its raw files.
for run in "$HLINK_ROOT"/results/*/summary.csv "$HLINK_ROOT"/results/superseded/*/summary.csv; do
	[ -f "$run" ] || continue
	python3 "$HLINK_ROOT/scripts/analysis" results check "${run%/summary.csv}" || fail "${run%/summary.csv}: summary does not match its raw files"
done
