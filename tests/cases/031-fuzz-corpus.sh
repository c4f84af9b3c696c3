# The fuzz corpus (tests/fuzz/corpus.tar.xz: a valid request of every op,
# and inputs make fuzz found) replayed against the user-space host module under
# ASan and UBSan, in the fuzzer's read-only sandbox: no crash or leak, every
# op's valid request succeeds, every record gets the error recorded in
# tests/fuzz/expected-user.txt, and nothing beside the export changes.
. "$(dirname "$0")/../lib.sh"
use_private_work
[ -x "$HLINK_ROOT/build/hlink_fuzz_replay" ] || fail "build/hlink_fuzz_replay is not built (make tools)"
# Replies on stdout only: the replayer's messages go to stderr, unsynchronised.
set +e
got=$("$HLINK_ROOT/scripts/run/fuzz.sh" --replay 2>"$HLINK_WORK/err")
rc=$?
set -e
[ "$rc" = 0 ] || fail "replay failed: $(cat "$HLINK_WORK/err")"
for op in $(seq 1 27); do
	grep -qE "^[a-z]+:.* $op:0( |$)" <<<"$got" || fail "no record of opcode $op succeeded"
done
diff <(echo "$got") "$HLINK_ROOT/tests/fuzz/expected-user.txt" >"$HLINK_WORK/diff" ||
	fail "replies differ from tests/fuzz/expected-user.txt: $(head -20 "$HLINK_WORK/diff")"
echo "$(wc -l <<<"$got") corpus inputs replayed, every reply as recorded"
