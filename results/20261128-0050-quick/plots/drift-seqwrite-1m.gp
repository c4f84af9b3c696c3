set terminal pngcairo size 900,520 font "sans,10"
set output "drift-seqwrite-1m.png"
set title "seqwrite-1m: write_bw_mib of each repetition over the run (the drift interleaving absorbs)\nrun 20261128-0050-quick, n = 5 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "write_bw_mib (MiB/s)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-seqwrite-1m-9p.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "9p" noenhanced, "drift-seqwrite-1m-guest-tmpfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 2 title "guest-tmpfs" noenhanced, "drift-seqwrite-1m-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 3 title "hlink-user" noenhanced, "drift-seqwrite-1m-hostfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 4 title "hostfs" noenhanced, "drift-seqwrite-1m-native.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "native" noenhanced, "drift-seqwrite-1m-nfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 2 title "nfs" noenhanced, "drift-seqwrite-1m-ubd-ext4.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "ubd-ext4" noenhanced, "drift-seqwrite-1m-virtio-blk.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 4 title "virtio-blk" noenhanced, "drift-seqwrite-1m-virtio-fs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "virtio-fs" noenhanced, "drift-seqwrite-1m-virtio-fs-always.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 2 title "virtio-fs-always" noenhanced, "drift-seqwrite-1m-virtio-fs-none.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "virtio-fs-none" noenhanced
