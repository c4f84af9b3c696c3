#!/bin/bash
# Inside a guest: make the same calls (errno_diff.py) on ext4 on the extra
# block device (/dev/ubdh, guest-run --disk) and on the file system under
# test, and leave both transcripts in $HLINK_RESULTS for the host to compare:
# ext4-CONFIG.txt and CONFIG.txt. Each run works in a new directory named
# after the configuration, so one disk serves several guests in turn.
# usage: errno-diff.sh SEED STEPS [OPTION...]   (OPTION: errno_diff.py run's)
set -eu
seed=$1 steps=$2
shift 2
prog=$(dirname "$0")/errno_diff.py
mkdir -p /tmp/ext4
mount -t ext4 /dev/ubdh /tmp/ext4
mkdir "/tmp/ext4/$HLINK_CONFIG"
python3 "$prog" run "/tmp/ext4/$HLINK_CONFIG" --seed "$seed" --steps "$steps" "$@" \
	>"$HLINK_RESULTS/ext4-$HLINK_CONFIG.txt"
umount /tmp/ext4
mkdir "$HLINK_MNT/$HLINK_CONFIG"
python3 "$prog" run "$HLINK_MNT/$HLINK_CONFIG" --seed "$seed" --steps "$steps" "$@" \
	>"$HLINK_RESULTS/$HLINK_CONFIG.txt"
