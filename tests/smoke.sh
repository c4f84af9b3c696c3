#!/bin/bash
# Smoke test run inside a configuration, on the file system under test:
# small-file round trip, mkdir, rename, unlink, and a 256 MiB file checked
# end to end. Prints one line per check; exits non-zero on the first failure.
set -euo pipefail
cd "${HLINK_MNT:?HLINK_MNT is not set}"
big_mib=${SMOKE_BIG_MIB:-256}

check() { echo "ok: $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# Small file: write, drop nothing from the cache, read back by checksum.
printf 'hello from %s\n' "${HLINK_CONFIG:-?}" >small
[ "$(cat small)" = "hello from ${HLINK_CONFIG:-?}" ] || fail "small file content"
check "small file round trip"

mkdir -p d1/d2
[ -d d1/d2 ] || fail "mkdir"
check "mkdir"

mv small d1/d2/renamed
[ ! -e small ] && [ -f d1/d2/renamed ] || fail "rename"
check "rename"

rm d1/d2/renamed
[ ! -e d1/d2/renamed ] || fail "unlink"
rmdir d1/d2 d1
[ ! -e d1 ] || fail "rmdir"
check "unlink and rmdir"

# Large file: the checksum of what was written must match what reads back
# after the page cache is dropped, so the data really went through the stack.
want=$(head -c "${big_mib}M" /dev/urandom | tee big | sha256sum | cut -d' ' -f1)
[ "$(stat -c %s big)" = $((big_mib * 1024 * 1024)) ] || fail "large file size"
sync
echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
got=$(sha256sum <big | cut -d' ' -f1)
[ "$want" = "$got" ] || fail "large file checksum: wrote $want, read $got"
rm big
check "${big_mib} MiB file checksum end to end"
echo "smoke: all checks passed on ${HLINK_CONFIG:-?}"
