# The evaluation runner on the tiny profile for two configurations: raw
# output where it belongs, a summary for both, and a resumed run that makes
# no new runs. Then the runner refuses bad names clearly.
. "$(dirname "$0")/../lib.sh"
use_private_work
export HLINK_RESULTS_DIR=$HLINK_WORK/results
eval_sh=$HLINK_ROOT/scripts/eval.sh
capture "$eval_sh" -p tiny -c native,hostfs -w randread-4k,meta-deep -i t1
[ "$rc" = 0 ] || fail "tiny run failed: $out"
run=$HLINK_RESULTS_DIR/t1
for c in native hostfs; do
	for r in 1 2; do
		[ -s "$run/$c/randread-4k/rep-$r/fio.json" ] || fail "no fio.json for $c rep $r"
		[ -s "$run/$c/meta-deep/rep-$r/metrics.csv" ] || fail "no metrics.csv for $c rep $r"
	done
	grep -q "^$c,randread-4k,read_iops,IOPS,higher,2," "$run/summary.csv" ||
		fail "summary.csv has no read_iops row for $c"
	grep -q "^$c,meta-deep,meta_ops,ops/s,higher,2," "$run/summary.csv" ||
		fail "summary.csv has no meta_ops row for $c"
done
grep -q '^guest_kernel: ' "$run/run.txt" || fail "run.txt lacks the guest kernel"
grep -q 'x native' <<<"$out" || fail "no table with ratios to native: $out"
python3 "$HLINK_ROOT/scripts/results.py" check "$run" || fail "summary does not match raw files"
capture "$eval_sh" -p tiny -c native,hostfs -w randread-4k,meta-deep -i t1
[ "$rc" = 0 ] && grep -q '(0 runs made' <<<"$out" || fail "resume ran again: $out"
capture "$eval_sh" -p tiny -c no-such -i t2
[ "$rc" = 2 ] && grep -q "valid names" <<<"$out" || fail "bad configuration not refused: $out"
capture "$eval_sh" -p tiny -w no-such -i t2
[ "$rc" = 2 ] && grep -q "unknown workload" <<<"$out" || fail "bad workload not refused: $out"
echo "tiny run, summary, resume and refusals all as expected"
