#!/bin/bash
# Inside a UML guest used as the host kernel: load hlink.ko, run the ABI
# conformance suite against /dev/hlink, check that the module cannot be
# unloaded while a client has it open, and that the kernel logged no
# warning, BUG or oops. With a fuzz replayer and the project's tests/fuzz,
# also replay the fuzz corpus against /dev/hlink: every reply must be the one
# the user-space module gives (FUZZ_DIR: build/fuzz-corpus, the corpus
# unpacked beside tests/fuzz/expected-user.txt).
# usage: kmod-host.sh HLINK_KO CONFORMANCE_BINARY [REPLAYER FUZZ_DIR]
set -u
ko=$1 conf=$2 replay=${3:-} fuzz=${4:-}
fail() { echo "FAIL: $*"; dmesg | tail -n 30; exit 1; }
# The export itself (mapped ownership, the default), and the allowlist the
# conformance suite runs under below it (one entry per ownership model).
mkdir -p kexp
insmod "$ko" exports="$HLINK_MNT:$("$conf" -E "$HLINK_MNT/kexp")" || fail "insmod"
[ -c /dev/hlink ] || fail "no /dev/hlink"
"$conf" -t kmod "$HLINK_MNT/kexp" || fail "conformance suite against hlink.ko"
# The allowlist is the (mount, directory) hlink.ko resolved at load: a client
# that mounts something else over the allowed path in its own mount namespace
# cannot export it.
"$conf" -t kmod -M "$HLINK_MNT" /tmp >/dev/null || fail "MOUNT of the allowed directory itself"
mkdir -p /tmp/secret && echo secret >/tmp/secret/file
if unshare -m --propagation=private sh -c 'mount --bind /tmp/secret "$1" && exec "$2" -t kmod -M "$1" /tmp' \
	sh "$HLINK_MNT" "$conf"; then
	echo "confine|MOUNT of a directory bind-mounted over the allowed path in the client's namespace|EXPORTED|"
	fail "MOUNT of a directory bind-mounted over the allowed path in a private namespace succeeded"
fi
echo "confine|MOUNT of a directory bind-mounted over the allowed path in the client's namespace|refused|"
echo "ok - a bind mount over the allowed path in the client's namespace is not exportable"
if [ -n "$replay" ]; then
	mkdir -p "$HLINK_MNT/fuzz/outside"
	HLINK_FUZZ_DIR=$HLINK_MNT/fuzz HLINK_FUZZ_DEV=/dev/hlink "$replay" --transcript "$fuzz"/corpus/* \
		>/tmp/kmod-replies.txt || fail "fuzz corpus replay against hlink.ko"
	diff /tmp/kmod-replies.txt "$fuzz/expected-user.txt" ||
		fail "hlink.ko and the user-space module answer the fuzz corpus differently (diff above)"
	echo "ok - $(wc -l </tmp/kmod-replies.txt) fuzz corpus inputs: hlink.ko answers as the user-space module"
fi
# Everything clients held is given back, also by a client killed mid-run.
stats=/sys/class/misc/hlink/stats
zero=$'clients 0\nentries 0\nfiles 0'
[ "$(cat "$stats")" = "$zero" ] || fail "after the clients closed, hlink.ko still holds: $(cat "$stats" | tr '\n' ' ')"
mkdir -p "$HLINK_MNT/kexp-killed"
"$conf" -t kmod "$HLINK_MNT/kexp-killed" >/dev/null 2>&1 &
victim=$!
for _ in $(seq 50); do
	held=$(awk '$1 == "entries" { print $2 }' "$stats")
	[ "${held:-0}" -ge 5 ] && break
	sleep 0.1
done
during=$(tr '\n' ' ' <"$stats")
kill -9 "$victim"
wait "$victim" 2>/dev/null
[ "${held:-0}" -ge 5 ] || fail "the client to be killed never held 5 entries: $during"
[ "$(cat "$stats")" = "$zero" ] || fail "after a client was killed, hlink.ko still holds: $(cat "$stats" | tr '\n' ' ')"
echo "ok - a client killed while holding $during gave everything back (clients, entries, files 0)"
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
