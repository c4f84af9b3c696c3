set terminal pngcairo size 900,520 font "sans,10"
set output "drift-seqwrite-1m.png"
set title "seqwrite-1m: write_bw_mib of each repetition over the run (the drift interleaving absorbs)\nrun 20261127-2300-quick-nfs-9p, n = 5 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "write_bw_mib (MiB/s)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-seqwrite-1m-9p.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "9p" noenhanced, "drift-seqwrite-1m-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user" noenhanced, "drift-seqwrite-1m-hostfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "hostfs" noenhanced, "drift-seqwrite-1m-nfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 4 title "nfs" noenhanced, "drift-seqwrite-1m-virtio-fs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "virtio-fs" noenhanced
