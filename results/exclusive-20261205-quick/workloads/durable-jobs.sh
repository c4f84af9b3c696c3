# durable-jobs: 4 KiB random writes, psync, each followed by fdatasync, by 1
# and then 4 jobs at once, each job on a 16 MiB file of its own: whether a
# stack overlaps one job's wait for the host's storage with the others'
# work, or stops them all while it waits.
# profiles: full
# headline: write_iops_jobs4
# guarantee: durable
# sweep: jobs 1 4
exec python3 "$HLINK_SCRIPTS/fio-jobs.py" write 1 4 -- \
	--name=durable-jobs --size=16m --ioengine=psync --rw=randwrite --bs=4k --fdatasync=1 \
	--time_based --runtime="$HLINK_RUNTIME" --ramp_time="$HLINK_RAMP"
