# The host VM of the TCG entries runs on KVM where /dev/kvm works and falls
# back to TCG otherwise: the probe's answers for a missing device and for a
# device that is not KVM, KVM asked for by hand where it cannot work (not
# run, 77, with the reason), and the accelerator a real VM run used, as its
# log says.
. "$(dirname "$0")/../lib.sh"
use_private_work
probe=$HLINK_ROOT/scripts/run/vm-accel.sh
capture "$probe"
[ "$rc" = 0 ] || fail "vm-accel.sh: status $rc: $out"
here=${out%% *}
case $here in kvm|tcg) ;; *) fail "vm-accel.sh said '$out'" ;; esac
[ -e /dev/kvm ] || [ "$here" = tcg ] || fail "no /dev/kvm, but the probe chose $out"
echo "this machine: $out"
capture env HLINK_KVM_DEV=/nonexistent "$probe"
[ "$out" = "tcg (no /nonexistent)" ] || fail "missing device: $out"
capture env HLINK_KVM_DEV=/dev/null "$probe"
[[ $out == "tcg (/dev/null: not a working KVM device"* ]] || fail "a device that is not KVM: $out"
capture env HLINK_KVM_DEV=/dev/null HLINK_VM_ACCEL=kvm "$probe"
[ "$rc" = 77 ] && [[ $out == *"KVM does not work here"* ]] || fail "KVM by hand where it fails: $rc $out"
capture env HLINK_VM_ACCEL=tcg "$probe" --name
[ "$out" = tcg ] || fail "TCG by hand: $out"
capture env HLINK_VM_ACCEL=fast "$probe"
[ "$rc" = 2 ] || fail "a bad HLINK_VM_ACCEL was taken: $out"
capture env HLINK_KVM_DEV=/dev/null HLINK_VM_ACCEL=kvm "$GUEST_RUN" -t 120 tcg-native -- true
[ "$rc" = 77 ] && [[ $out == *"not run: tcg-native: HLINK_VM_ACCEL=kvm, but KVM does not work here"* ]] ||
	fail "a VM entry with KVM asked for where it fails: status $rc: $out"
capture "$GUEST_RUN" -t 300 tcg-native -- true
[ "$rc" = 0 ] || fail "tcg-native: status $rc: $out"
grep -q "tcg-native: host VM on $here (" <<<"$out" || fail "the run did not say it ran on $here: $out"
assert_clean
echo "fallback and choice as expected; the VM ran on $here"
