# The evaluation runner on the tiny profile for two configurations: a warm-up
# block and counted blocks, each running every cell once in its own shuffled
# order; raw output and the host's state where they belong, packed in one
# archive when the run ends; a summary for both; plots; a resumed run that
# makes no new runs; an interrupted one that resumes from its files. Then
# the runner refuses bad names clearly.
. "$(dirname "$0")/../lib.sh"
use_private_work
export HLINK_RESULTS_DIR=$HLINK_WORK/results
eval_sh=$HLINK_ROOT/scripts/run/eval.sh
capture "$eval_sh" -p tiny -c native,hostfs -w randread-4k,meta-deep -i t1
[ "$rc" = 0 ] || fail "tiny run failed: $out"
run=$HLINK_RESULTS_DIR/t1
# The raw repetitions are in the archive, and only there; what a reader
# opens stays a file.
[ -s "$run/raw.tar.xz" ] || fail "the finished run was not packed"
[ -z "$(find "$run" -path '*/rep-*' -o -path '*/warmup*' -o -name '*.gp' -o -name needs.env)" ] ||
	fail "raw files left beside the archive: $(find "$run" -path '*/rep-*' | head -3)"
for f in run.txt summary.csv index.md native/config.sh workloads/meta-deep.py plots/throughput-meta-deep.png; do
	[ -s "$run/$f" ] || fail "a finished run lacks $f as a file"
done
raw=$(python3 "$HLINK_ROOT/scripts/analysis" runfs raw "$run")
for c in native hostfs; do
	for r in 1 2; do
		[ -s "$raw/$c/randread-4k/rep-$r/fio.json" ] || fail "no fio.json for $c rep $r"
		[ -s "$raw/$c/meta-deep/rep-$r/metrics.csv" ] || fail "no metrics.csv for $c rep $r"
	done
	grep -q "^$c,randread-4k,read_iops,IOPS,higher,2," "$run/summary.csv" ||
		fail "summary.csv has no read_iops row for $c"
	grep -q "^$c,meta-deep,meta_ops_durable,ops/s,higher,2," "$run/summary.csv" ||
		fail "summary.csv has no meta_ops_durable row for $c"
done
for c in native hostfs; do
	for w in randread-4k meta-deep; do
		[ -f "$raw/$c/$w/warmup/status" ] || fail "no warm-up run for $c $w"
		for r in 1 2; do
			d=$raw/$c/$w/rep-$r
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
	[ "$(cat "$raw"/*/*/$dir/host.txt | grep -c "^where: block $b,")" = 4 ] || fail "block $b did not run 4 cells"
done
for k in seed commit cpu export_backing host_cache_drop_between_runs guest_mem guest_kernel vm_accel; do
	grep -q "^$k: " "$run/run.txt" || fail "run.txt lacks $k"
done
[ -s "$run/plots/throughput-randread-4k.png" ] && [ -s "$run/index.md" ] || fail "no plots or index page"
grep -q "plots and index page: $run/index.md" <<<"$out" || fail "eval did not say where the plots are"
grep -q 'x native' <<<"$out" || fail "no table with ratios to native: $out"
python3 "$HLINK_ROOT/scripts/analysis" results check "$run" || fail "summary does not match raw files"
capture "$eval_sh" -p tiny -c native,hostfs -w randread-4k,meta-deep -i t1
[ "$rc" = 0 ] && grep -q '(0 runs made' <<<"$out" || fail "resume ran again: $out"
[ -s "$run/raw.tar.xz" ] && [ ! -d "$run/native/meta-deep/rep-1" ] || fail "the resumed run was not packed again"
python3 "$HLINK_ROOT/scripts/analysis" results check "$run" || fail "summary does not match the packed raw files"
# An interrupted run (no end in run.txt) is never packed, and resumes from
# its files: one repetition removed is made again, and only it.
python3 "$HLINK_ROOT/scripts/analysis" runfs unpack "$run" 2>/dev/null
sed -i '/^ended: /d' "$run/run.txt"
rm -rf "$run/hostfs/meta-deep/rep-2"
capture python3 "$HLINK_ROOT/scripts/analysis" runfs pack "$run"
[ "$rc" != 0 ] && grep -q 'has not ended' <<<"$out" || fail "an unfinished run was packed: $out"
capture "$eval_sh" -p tiny -c native,hostfs -w randread-4k,meta-deep -i t1
[ "$rc" = 0 ] && grep -q '(1 runs made' <<<"$out" || fail "the interrupted run did not resume with one run: $out"
capture "$eval_sh" -p tiny -c no-such -i t2
[ "$rc" = 2 ] && grep -q "valid names" <<<"$out" || fail "bad configuration not refused: $out"
capture "$eval_sh" -p tiny -w no-such -i t2
[ "$rc" = 2 ] && grep -q "unknown workload" <<<"$out" || fail "bad workload not refused: $out"
echo "tiny run, summary, resume and refusals all as expected"
