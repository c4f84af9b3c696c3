set terminal pngcairo size 900,520 font "sans,10"
set output "latency-seqread-1m-host-cold.png"
set title "seqread-1m-host-cold: completion latency percentiles (median over repetitions)\nrun bench-hlink-disk-20261127-165012, n = 5 repetitions" noenhanced
set xlabel "latency (us)"
set ylabel "percentile"
set ytics ("p50" -log10(0.5), "p90" 1, "p99" 2, "p99.9" 3)
set yrange [0:3.2]
set logscale x
set grid
set key bottom right
plot "latency-seqread-1m-host-cold-guest-tmpfs.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 1 title "guest-tmpfs" noenhanced, "latency-seqread-1m-host-cold-hlink-user.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user" noenhanced, "latency-seqread-1m-host-cold-hostfs.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 3 title "hostfs" noenhanced, "latency-seqread-1m-host-cold-native.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 4 title "native" noenhanced
