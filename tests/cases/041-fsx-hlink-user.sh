# The randomised data-integrity exerciser, 50,000 operations on hlinkfs:
# writes, mmap writes, truncates, every fallocate mode hlinkfs advertises
# (collapsing and inserting ranges too),
# copy_file_range and O_DIRECT reads and writes, each checked against a
# model. Every mode must have run: a mode refused as unsupported would hide
# the data path it exercises.
. "$(dirname "$0")/../lib.sh"
capture "$GUEST_RUN" -t 900 hlink-user -- python3 "$HLINK_ROOT/tests/guest/fsx.py" -n 50000
echo "$out"
[ "$rc" = 0 ] || fail "exerciser failed (status $rc)"
for op in falloc falloc_keep punch_hole zero_range zero_range_keep collapse_range insert_range copy_range mapwrite truncate dwrite dread; do
	grep -Eq "clean .*[:,] $op [1-9]" <<<"$out" || fail "no $op operation ran"
done
! grep -q unsupported <<<"$out" || fail "a fallocate mode or O_DIRECT was refused"
