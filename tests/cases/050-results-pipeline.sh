# The results pipeline on recorded fixtures: fio JSON and strace parsing,
# statistics with known values, check, compare, and plots.
. "$(dirname "$0")/../lib.sh"
require gnuplot
python3 "$HLINK_ROOT/tests/test_results.py"
