# The paper's generated parts (scripts/analysis/paper.py, no LaTeX): every table cell
# and every ratio, verdict and median the prose prints is recomputed from its
# run's summary.csv and raw files; every value, table and figure hlink.tex
# names is made; the prose types no measured number; and a role whose run is
# missing still builds. And each check can fail: a changed cell, a typed
# number, a value or figure nobody makes, a citation not in refs.bib.
. "$(dirname "$0")/../lib.sh"
require gnuplot
paper=$HLINK_ROOT/scripts/analysis/paper.py
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

capture python3 "$paper" gen --out "$dir/gen"
echo "$out"
[ "$rc" = 0 ] || fail "the generator failed"
capture python3 "$paper" check --no-gen --out "$dir/gen"
echo "$out"
[ "$rc" = 0 ] || fail "the generated paper does not check"
grep -Eq '^check: [1-9][0-9]* table cells and [1-9][0-9]* numbers recomputed' <<<"$out" ||
	fail "nothing was recomputed: $out"
while read -r fig; do
	[ -s "$dir/gen/$fig" ] || fail "figure $fig is listed but not made"
	head -c 5 "$dir/gen/$fig" | grep -q '^%PDF-' || fail "figure $fig is not a PDF"
done <"$dir/gen/figures.txt"
[ "$(python3 "$paper" figures | wc -l)" -gt 0 ] || fail "hlink.tex includes no figure"
echo "ok - tables, numbers, figures and the prose check"

# A cell that differs from its run.
cp -r "$dir/gen" "$dir/bad"
python3 - "$dir/bad/tab-versus-main.tex" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
m = re.search(r"\\rc\{\w+\}\{(\d)", s)
d = str((int(m.group(1)) + 1) % 10)
open(sys.argv[1], "w").write(s[:m.start(1)] + d + s[m.end(1):])
PY
capture python3 "$paper" check --no-gen --out "$dir/bad"
[ "$rc" = 1 ] || fail "a changed table cell was not caught: $out"
grep -q '^tab-versus-main.tex: .*the table says' <<<"$out" || fail "no message for the changed cell: $out"
echo "ok - a changed cell is caught"

# A number typed in the prose, a value and a figure nobody makes, an unknown citation.
sed -e 's/^\\section{Introduction}/&\nIt is 1.39 times faster than hostfs./' \
	-e 's/^\\end{document}/\\R{main}{hlink-user}{no-such-config}{meta-deep} \\hlfig{main}{no-such-plot}{half} \\cite{no-such-paper}\n&/' \
	"$HLINK_ROOT/paper/hlink.tex" >"$dir/bad.tex"
grep -q '^It is 1.39 times' "$dir/bad.tex" || fail "could not plant a typed number"
capture python3 "$paper" check "$dir/bad.tex" --no-gen --out "$dir/gen"
[ "$rc" = 1 ] || fail "a bad hlink.tex passed: $out"
grep -q "typed number '1.39" <<<"$out" || fail "a typed number was not caught: $out"
grep -q "no-such-config.*not generated" <<<"$out" || fail "a value nobody makes was not caught: $out"
grep -q "figure main-no-such-plot-half was not made" <<<"$out" || fail "a missing figure was not caught: $out"
grep -q "citation 'no-such-paper'" <<<"$out" || fail "an unknown citation was not caught: $out"
echo "ok - a typed number, a value and a figure nobody makes, an unknown citation are caught"

# A role whose run is missing: the paper still builds and says so.
sed 's|^tcg .*|tcg results/no-such-run|' "$HLINK_ROOT/paper/runs.txt" >"$dir/runs.txt"
grep -q '^tcg *results/no-such-run' "$dir/runs.txt" || fail "runs.txt has no tcg role to remove"
capture env HLINK_PAPER_RUNS="$dir/runs.txt" python3 "$paper" gen --no-figures --out "$dir/missing"
[ "$rc" = 0 ] || fail "the generator failed with a run missing: $out"
grep -q 'have/tcg}{no}' "$dir/missing/numbers.tex" || fail "the missing run is not reported"
grep -q 'is not in results/' "$dir/missing/tab-versus-tcg.tex" || fail "the missing run's table does not say so"
echo "ok - a missing run builds and is reported"
