set terminal pngcairo size 900,520 font "sans,10"
set output "latency-durable-busy.png"
set title "durable-busy: completion latency percentiles (median over repetitions)\nrun busy-20261128-0536-full, n = 5 repetitions" noenhanced
set xlabel "latency (us)"
set ylabel "percentile"
set ytics ("p50" -log10(0.5), "p90" 1, "p99" 2, "p99.9" 3)
set yrange [0:3.2]
set logscale x
set grid
set key bottom right
plot "latency-durable-busy-hlink-user.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#dd7711" dashtype 1 title "hlink-user" noenhanced, "latency-durable-busy-hlink-user-sync.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user-sync" noenhanced
