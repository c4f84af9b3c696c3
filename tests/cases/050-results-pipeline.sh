# The results pipeline on recorded fixtures: fio JSON and strace parsing,
# statistics with known values, check, compare, and plots.
. "$(dirname "$0")/../lib.sh"
command -v gnuplot >/dev/null || not_run "gnuplot is not installed (make setup)"
python3 "$HLINK_ROOT/tests/test_results.py"
