# POSIX checks inside a guest on hlinkfs (hlink-user), including a file
# changed on the host side while the guest has it cached.
. "$(dirname "$0")/../lib.sh"
"$GUEST_RUN" -t 900 hlink-user -- "$HLINK_ROOT/tests/guest/host-view.sh" \
	python3 "$HLINK_ROOT/tests/guest/posix.py" --host-view /tmp/host-view
