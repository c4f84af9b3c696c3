# The differential check of test 057 through hlink.ko: in the TCG host VM,
# a UML guest makes the same calls on ext4 on its block device and on
# hlinkfs over hlink.ko (an export on the VM's ext4 disk), and every
# difference is one docs/errno-vs-ext4.md lists. Shorter than 057's (1000
# random calls, no 65000-link case): the VM emulates its CPU.
. "$(dirname "$0")/../lib.sh"
use_private_work
require mkfs.ext4
seed=${HLINK_ERRNO_SEED:-$(shuf -i 1-2147483647 -n 1)}
echo "seed $seed (HLINK_ERRNO_SEED=$seed repeats this run)"
res=$HLINK_WORK/results
mkdir -p "$res"
truncate -s 1G "$res/ext4.img"
mkfs.ext4 -q -F -E nodiscard "$res/ext4.img" || fail "mkfs.ext4"
"$GUEST_RUN" -t 900 -r "$res" -d "$res/ext4.img" hlink-kmod -- \
	"$HLINK_ROOT/tests/guest/errno-diff.sh" "$seed" 1000 --no-emlink ||
	fail "the calls did not run (output above)"
python3 "$HLINK_ROOT/tests/guest/errno_diff.py" compare "$res/ext4-hlink-kmod.txt" "$res/hlink-kmod.txt" \
	--config hlink-kmod --allowed "$HLINK_ROOT/docs/errno-vs-ext4.md" ||
	fail "results through hlink.ko differ from ext4's (seed $seed)"
