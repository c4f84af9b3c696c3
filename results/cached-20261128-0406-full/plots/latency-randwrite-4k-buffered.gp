set terminal pngcairo size 900,520 font "sans,10"
set output "latency-randwrite-4k-buffered.png"
set title "randwrite-4k-buffered: completion latency percentiles (median over repetitions)\nrun cached-20261128-0406-full, n = 15 repetitions" noenhanced
set xlabel "latency (us)"
set ylabel "percentile"
set ytics ("p50" -log10(0.5), "p90" 1, "p99" 2, "p99.9" 3)
set yrange [0:3.2]
set logscale x
set grid
set key bottom right
plot "latency-randwrite-4k-buffered-guest-tmpfs.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 1 title "guest-tmpfs" noenhanced, "latency-randwrite-4k-buffered-hlink-user.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user" noenhanced
