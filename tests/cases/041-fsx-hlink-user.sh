# The randomised data-integrity exerciser, 50,000 operations on hlinkfs.
. "$(dirname "$0")/../lib.sh"
"$GUEST_RUN" -t 900 hlink-user -- python3 "$HLINK_ROOT/tests/guest/fsx.py" -n 50000
