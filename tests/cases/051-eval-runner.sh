# The evaluation runner on the tiny profile for two configurations: a warm-up
# block and counted blocks, each running every cell once in its own shuffled
# order; raw output and the host's state where they belong; a summary for
# both; plots; a resumed run that makes no new runs. Then the runner refuses
# bad names clearly.
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
	grep -q "^$c,meta-deep,meta_ops_durable,ops/s,higher,2," "$run/summary.csv" ||
		fail "summary.csv has no meta_ops_durable row for $c"
done
for c in native hostfs; do
	for w in randread-4k meta-deep; do
		[ -f "$run/$c/$w/warmup/status" ] || fail "no warm-up run for $c $w"
		for r in 1 2; do
			d=$run/$c/$w/rep-$r
			grep -q "^where: block $r, position [1-4] of 4$" "$d/host.txt" || fail "$d/host.txt lacks its block"
			grep -q '^before_loadavg: ' "$d/host.txt" && grep -q '^after_cpu: cpu ' "$d/host.txt" ||
				fail "$d/host.txt lacks the host state"
			grep -q 'free' "$d/vmstat.txt" || fail "$d has no vmstat trace"
		done
	done
done
# Each block ran every cell once.
for b in 0 1 2; do
	dir=rep-$b
	[ "$b" = 0 ] && dir=warmup
	[ "$(cat "$run"/*/*/$dir/host.txt | grep -c "^where: block $b,")" = 4 ] || fail "block $b did not run 4 cells"
done
for k in seed commit cpu export_backing host_cache_drop_between_runs guest_mem guest_kernel vm_accel; do
	grep -q "^$k: " "$run/run.txt" || fail "run.txt lacks $k"
done
[ -s "$run/plots/throughput-randread-4k.png" ] && [ -s "$run/index.md" ] || fail "no plots or index page"
grep -q "plots and index page: $run/index.md" <<<"$out" || fail "eval did not say where the plots are"
grep -q 'x native' <<<"$out" || fail "no table with ratios to native: $out"
python3 "$HLINK_ROOT/scripts/results.py" check "$run" || fail "summary does not match raw files"
capture "$eval_sh" -p tiny -c native,hostfs -w randread-4k,meta-deep -i t1
[ "$rc" = 0 ] && grep -q '(0 runs made' <<<"$out" || fail "resume ran again: $out"
capture "$eval_sh" -p tiny -c no-such -i t2
[ "$rc" = 2 ] && grep -q "valid names" <<<"$out" || fail "bad configuration not refused: $out"
capture "$eval_sh" -p tiny -w no-such -i t2
[ "$rc" = 2 ] && grep -q "unknown workload" <<<"$out" || fail "bad workload not refused: $out"
echo "tiny run, summary, resume and refusals all as expected"
