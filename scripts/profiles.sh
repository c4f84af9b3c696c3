# Evaluation profiles: the one place where repetitions and run times are set.
# A workload belongs to a profile when its header's "# profiles:" line names it.
# shellcheck shell=bash

# quick: the default of 'make eval'; a few minutes on 2 cores.
profile_quick() { REPS=3; RUNTIME=5; }
# full: everything, with longer runs for tighter intervals.
profile_full() { REPS=5; RUNTIME=20; }
