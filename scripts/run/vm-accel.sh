#!/bin/bash
# Which accelerator the host VM of the TCG entries runs on: KVM where
# /dev/kvm answers as a KVM device and makes a VM, software emulation (TCG)
# otherwise. Prints "kvm (why)" or "tcg (why)"; with --name, the word only.
#
# HLINK_VM_ACCEL=auto (default) | kvm | tcg chooses by hand; kvm when KVM
# does not work exits 77 with the reason. HLINK_KVM_DEV names the device
# probed (default /dev/kvm), so that the fallback can be tested.
set -euo pipefail
name_only=0
case "${1:-}" in
	--name) name_only=1 ;;
	-h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	'') ;;
	*) echo "${0##*/}: unknown option $1 (see --help)" >&2; exit 2 ;;
esac
dev=${HLINK_KVM_DEV:-/dev/kvm}
want=${HLINK_VM_ACCEL:-auto}
case "$want" in auto|kvm|tcg) ;; *) echo "${0##*/}: HLINK_VM_ACCEL=$want: want auto, kvm or tcg" >&2; exit 2 ;; esac

# KVM_GET_API_VERSION must say 12 and KVM_CREATE_VM must give a VM: a
# device node alone (no permission, nested virtualisation off) is not KVM.
probe() {
	[ -e "$dev" ] || { echo "no $dev"; return 1; }
	python3 - "$dev" <<'EOF'
import fcntl, os, sys
try:
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CLOEXEC)
except OSError as e:
    sys.exit(f"{sys.argv[1]}: {e.strerror}")
try:
    api = fcntl.ioctl(fd, 0xAE00)
    if api != 12:
        sys.exit(f"{sys.argv[1]}: KVM API version {api}, not 12")
    os.close(fcntl.ioctl(fd, 0xAE01, 0))
except OSError as e:
    sys.exit(f"{sys.argv[1]}: not a working KVM device ({e.strerror})")
print(f"{sys.argv[1]} makes VMs (KVM API 12)")
EOF
}

if [ "$want" = tcg ]; then
	accel=tcg why="chosen by HLINK_VM_ACCEL=tcg"
elif why=$(probe 2>&1); then
	accel=kvm
elif [ "$want" = kvm ]; then
	echo "HLINK_VM_ACCEL=kvm, but KVM does not work here: $why"
	exit 77
else
	accel=tcg
fi
if [ "$name_only" = 1 ]; then
	echo "$accel"
else
	echo "$accel ($why)"
fi
