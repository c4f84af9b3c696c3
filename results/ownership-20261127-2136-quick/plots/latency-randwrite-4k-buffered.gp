set terminal pngcairo size 900,520 font "sans,10"
set output "latency-randwrite-4k-buffered.png"
set title "randwrite-4k-buffered: completion latency percentiles (median over repetitions)\nrun ownership-20261127-2136-quick, n = 5 repetitions" noenhanced
set xlabel "latency (us)"
set ylabel "percentile"
set ytics ("p50" -log10(0.5), "p90" 1, "p99" 2, "p99.9" 3)
set yrange [0:3.2]
set logscale x
set grid
set key bottom right
plot "latency-randwrite-4k-buffered-hlink-user.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#dd7711" dashtype 1 title "hlink-user" noenhanced, "latency-randwrite-4k-buffered-hlink-user-passthrough.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user-passthrough" noenhanced
