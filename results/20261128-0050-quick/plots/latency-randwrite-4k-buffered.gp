set terminal pngcairo size 900,520 font "sans,10"
set output "latency-randwrite-4k-buffered.png"
set title "randwrite-4k-buffered: completion latency percentiles (median over repetitions)\nrun 20261128-0050-quick, n = 5 repetitions" noenhanced
set xlabel "latency (us)"
set ylabel "percentile"
set ytics ("p50" -log10(0.5), "p90" 1, "p99" 2, "p99.9" 3)
set yrange [0:3.2]
set logscale x
set grid
set key bottom right
plot "latency-randwrite-4k-buffered-9p.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 1 title "9p" noenhanced, "latency-randwrite-4k-buffered-guest-tmpfs.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 2 title "guest-tmpfs" noenhanced, "latency-randwrite-4k-buffered-hlink-user.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#dd7711" dashtype 3 title "hlink-user" noenhanced, "latency-randwrite-4k-buffered-hostfs.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 4 title "hostfs" noenhanced, "latency-randwrite-4k-buffered-native.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 1 title "native" noenhanced, "latency-randwrite-4k-buffered-nfs.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 2 title "nfs" noenhanced, "latency-randwrite-4k-buffered-ubd-ext4.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 3 title "ubd-ext4" noenhanced, "latency-randwrite-4k-buffered-virtio-blk.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 4 title "virtio-blk" noenhanced, "latency-randwrite-4k-buffered-virtio-fs.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 1 title "virtio-fs" noenhanced, "latency-randwrite-4k-buffered-virtio-fs-always.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 2 title "virtio-fs-always" noenhanced, "latency-randwrite-4k-buffered-virtio-fs-none.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 3 title "virtio-fs-none" noenhanced
