set terminal pngcairo size 900,520 font "sans,10"
set output "latency-seqwrite-1m.png"
set title "seqwrite-1m: completion latency percentiles (median over repetitions)\nrun direct-20261128-0719-quick, n = 5 repetitions" noenhanced
set xlabel "latency (us)"
set ylabel "percentile"
set ytics ("p50" -log10(0.5), "p90" 1, "p99" 2, "p99.9" 3)
set yrange [0:3.2]
set logscale x
set grid
set key bottom right
plot "latency-seqwrite-1m-hlink-user.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#dd7711" dashtype 1 title "hlink-user" noenhanced, "latency-seqwrite-1m-hlink-user-copy.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user-copy" noenhanced, "latency-seqwrite-1m-native.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 3 title "native" noenhanced, "latency-seqwrite-1m-ubd-ext4.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 4 title "ubd-ext4" noenhanced, "latency-seqwrite-1m-virtio-blk.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 1 title "virtio-blk" noenhanced
