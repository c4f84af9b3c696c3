#!/bin/bash
# Inside a UML guest used as the host kernel: load hlink.ko, run the ABI
# conformance suite against /dev/hlink, check that the module cannot be
# unloaded while a client has it open, and that the kernel logged no
# warning, BUG or oops. usage: kmod-host.sh HLINK_KO CONFORMANCE_BINARY
set -u
ko=$1 conf=$2
fail() { echo "FAIL: $*"; dmesg | tail -n 30; exit 1; }
insmod "$ko" exports="$HLINK_MNT" || fail "insmod"
[ -c /dev/hlink ] || fail "no /dev/hlink"
mkdir -p kexp
"$conf" -t kmod "$HLINK_MNT/kexp" || fail "conformance suite against hlink.ko"
exec 3<>/dev/hlink
rmmod hlink 2>/dev/null && fail "rmmod succeeded with a client attached"
echo "ok - rmmod refused while a client is attached"
exec 3>&-
rmmod hlink || fail "rmmod after the last client closed"
echo "ok - rmmod once no client is attached"
if dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|Call Trace'; then
	fail "the kernel logged a warning or oops"
fi
echo "ok - no kernel warning, BUG or oops"
