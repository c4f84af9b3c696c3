# randread-jobs: the job-count sweep. 4 KiB cached random reads, psync, by
# 1, 2 and 4 jobs at once on one 64 MiB file: how a stack scales with
# concurrent callers (UML runs guest code on one host CPU).
# profiles: full
# headline: read_iops_jobs1
# guarantee: read-only
# sweep: jobs 1 2 4
exec python3 "$HLINK_SCRIPTS/fio-jobs.py" read 1 2 4 -- \
	--name=randread-jobs --filename=randread-jobs.dat --size=64m --ioengine=psync \
	--rw=randread --bs=4k --invalidate=0 \
	--time_based --runtime="$HLINK_RUNTIME" --ramp_time="$HLINK_RAMP"
