#!/bin/sh
# Inside a guest, after host-view.sh: change other files of the export from
# the host side (creates, appends, renames, truncates, deletes in churn/)
# while "$@" runs on the file system under test; exit with its status.
# The churn's own operation count is printed at the end.
set -u
dir=/tmp/host-view/churn
mkdir -p "$dir"
(
	n=0
	while :; do
		i=$((n % 16))
		head -c $((4096 * (n % 7 + 1))) /dev/urandom >>"$dir/f$i"
		[ $((n % 5)) = 0 ] && mv -f "$dir/f$i" "$dir/g$i"
		[ $((n % 11)) = 0 ] && truncate -s 0 "$dir/g$i" 2>/dev/null
		[ $((n % 13)) = 0 ] && rm -f "$dir/g$i"
		n=$((n + 1))
		echo "$n" >/tmp/churn.count
	done
) &
churn=$!
"$@"
rc=$?
kill "$churn" 2>/dev/null
wait "$churn" 2>/dev/null
echo "host-churn: $(cat /tmp/churn.count 2>/dev/null || echo 0) host-side change rounds meanwhile"
exit "$rc"
