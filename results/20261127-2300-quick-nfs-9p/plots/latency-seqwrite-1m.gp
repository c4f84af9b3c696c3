set terminal pngcairo size 900,520 font "sans,10"
set output "latency-seqwrite-1m.png"
set title "seqwrite-1m: completion latency percentiles (median over repetitions)\nrun 20261127-2300-quick-nfs-9p, n = 5 repetitions" noenhanced
set xlabel "latency (us)"
set ylabel "percentile"
set ytics ("p50" -log10(0.5), "p90" 1, "p99" 2, "p99.9" 3)
set yrange [0:3.2]
set logscale x
set grid
set key bottom right
plot "latency-seqwrite-1m-9p.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 1 title "9p" noenhanced, "latency-seqwrite-1m-hlink-user.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user" noenhanced, "latency-seqwrite-1m-hostfs.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 3 title "hostfs" noenhanced, "latency-seqwrite-1m-nfs.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 4 title "nfs" noenhanced, "latency-seqwrite-1m-virtio-fs.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 1 title "virtio-fs" noenhanced
