#!/bin/bash
# Inside a guest on hlinkfs: attempts to reach host files outside the export.
# Each must fail or stay inside the guest's own namespace. The host side of
# the test checks afterwards that $HLINK_RESULTS/canary was not touched.
# usage: confine.sh RAW_PROGRAM
set -u
raw=$1
cd "$HLINK_MNT"
canary=$HLINK_RESULTS/canary
export_dir=$(awk -v m="$HLINK_MNT" '$2 == m { print $4 }' /proc/mounts | tr ',' '\n' | sed -n 's/^export=//p')
# Where the canary is on the host, absolute and relative to the export.
canary_host=$(awk -v m="$HLINK_RESULTS" '$2 == m { print $4 }' /proc/mounts | tr ',' '\n' | grep '^/')/canary
canary_rel=$(realpath -m --relative-to="$export_dir" "$canary_host")
passed=0 failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
bad() { echo "not ok - $*"; failed=$((failed + 1)); }
# A row of the confinement table (README): confine|ATTEMPT|OUTCOME|
row() { echo "confine|$1|$2|"; }

# An absolute symlink made in the guest resolves in the guest, never on the host.
ln -s "$canary_host" abs
echo pwned >abs/via-abs 2>/dev/null
if [ ! -e "$canary/via-abs" ]; then
	ok "absolute symlink to the host path of the canary"
	row "a guest symlink to the host path of a host file, written through" "resolved in the guest"
else
	bad "write through an absolute symlink reached the host canary"
	row "a guest symlink to the host path of a host file, written through" "REACHED THE HOST"
fi

# ../../ from the mount climbs the guest's tree, not the host's.
echo pwned >../../canary-climb 2>/dev/null
if [ ! -e "$canary/../canary-climb" ]; then
	ok "../../ out of the mount"
	row "../../ out of the mount" "climbs the guest's tree"
else
	bad "../../ reached the host"
	row "../../ out of the mount" "REACHED THE HOST"
fi

# A symlink planted on the host, pointing out of the export.
mkdir -p /tmp/hv && mount -t hostfs -o "$export_dir" hostfs /tmp/hv
ln -s "$canary_host" /tmp/hv/planted
ln -s "$canary_rel" /tmp/hv/planted-rel
echo pwned >planted/via-planted 2>/dev/null
echo pwned >planted-rel/via-planted-rel 2>/dev/null
if [ ! -e "$canary/via-planted" ] && [ ! -e "$canary/via-planted-rel" ]; then
	ok "symlinks planted on the host pointing outside"
	row "symlinks planted on the host (absolute, relative) pointing out, written through" \
		"resolved in the guest"
else
	bad "a planted symlink reached the host"
	row "symlinks planted on the host (absolute, relative) pointing out, written through" \
		"REACHED THE HOST"
fi
[ "$(readlink planted-rel)" = "$canary_rel" ] && ok "the planted symlink reads back as text" ||
	bad "readlink of the planted symlink"

# rename(2) and link(2) across the export boundary.
echo data >mine
if python3 - "$HLINK_MNT/mine" "$canary/moved" "$canary/secret" "$HLINK_MNT/stolen" <<'PY'; then
import errno, os, sys
for f, a, b in ((os.rename, sys.argv[1], sys.argv[2]), (os.link, sys.argv[3], sys.argv[4])):
    try:
        f(a, b)
    except OSError as e:
        assert e.errno == errno.EXDEV, e
    else:
        sys.exit(1)
PY
	ok "rename out of the export and hard link from outside give EXDEV"
	row "rename out of the export, hard link from outside into it" "refused (EXDEV)"
else
	bad "rename or link crossed the export"
	row "rename out of the export, hard link from outside into it" "CROSSED"
fi

# Forged handles and malformed requests, sent raw to the host module.
"$raw" "$HLINK_MNT" "$export_dir" | sed 's/^/  /'
if [ "${PIPESTATUS[0]}" = 0 ]; then
	ok "raw forged requests all refused"
	row "forged and malformed requests sent raw through the guest module" "all refused"
else
	bad "a raw forged request was accepted"
	row "forged and malformed requests sent raw through the guest module" "ONE ACCEPTED"
fi
umount /tmp/hv
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
