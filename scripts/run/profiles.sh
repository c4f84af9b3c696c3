# Evaluation profiles: the one place where repetitions, run times and sizes
# are set. A workload belongs to a profile when its header's "# profiles:"
# line names it. Workload files read the sizes from the environment.
# shellcheck shell=bash

# Every profile runs a warm-up block (unless it sets WARMUP=0) and REPS
# counted blocks (scripts/run/eval.sh);
# MAX_REPS above REPS adds blocks until each headline's 95% interval is within
# +-5% of its centre, or the cap is reached.
# TREE_DIRS: the Linux source directories that tree-ops unpacks.
# quick: the default of 'make eval': the micro-workloads and the application
# workloads, three counted blocks and no warm-up block, to stay within the
# hour on 2 cores (README: its measured time). Every run starts with the
# host's caches dropped, so a warm-up block would warm nothing a counted
# run keeps.
profile_quick() { REPS=3; WARMUP=0; RUNTIME=1; RAMP=1; SEQ_MB=256; META_FILES=4000; TREE_DIRS=fs; }
# tiny: for the runner's own test; seconds per run, numbers meaningless.
profile_tiny() { REPS=2; RUNTIME=1; RAMP=0; SEQ_MB=8; META_FILES=200; TREE_DIRS=fs; }
# apps: the application workloads alone (unpack and build, git, a tree's
# find, grep, du and rm -rf), three counted blocks.
profile_apps() { REPS=3; RUNTIME=1; RAMP=1; SEQ_MB=256; META_FILES=4000; TREE_DIRS=fs; }
# full: everything, with longer runs, and blocks until the intervals are tight.
profile_full() { REPS=5; MAX_REPS=15; RUNTIME=20; RAMP=2; SEQ_MB=1024; META_FILES=10000; TREE_DIRS="fs include"; }

# Host-call counting (--count-calls): runs per cell with strace attached.
COUNT_RUNS=3

# The environment a workload runs with, from the variables above.
workload_env() {
	echo HLINK_RUNTIME="$RUNTIME" HLINK_RAMP="$RAMP" HLINK_SEQ_MB="$SEQ_MB" HLINK_META_FILES="$META_FILES" HLINK_TREE_DIRS="${TREE_DIRS// /,}"
}
