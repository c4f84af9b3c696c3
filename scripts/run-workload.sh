#!/bin/bash
# Run one workload file in the current directory (the file system under test)
# and leave its raw output in $HLINK_RESULTS. Runs inside the guest, or on the
# host for 'native'.
set -euo pipefail
wl=${1:?usage: run-workload.sh WORKLOAD_FILE}
out=${HLINK_RESULTS:?HLINK_RESULTS is not set}
{
	echo "guest_kernel: $(uname -r) $(uname -v)"
	echo "fio: $(fio --version)"
	echo "config: ${HLINK_CONFIG:-}"
	echo "fs: $(stat -f -c %T .)"
} >"$out/versions.txt"
case "$wl" in
	*.fio) exec fio --output-format=json --output="$out/fio.json" "$wl" ;;
	*.sh) exec bash "$wl" ;;
	*) echo "run-workload: unknown workload type: $wl" >&2; exit 2 ;;
esac
