set terminal pngcairo size 900,520 font "sans,10"
set output "drift-dbench.png"
set title "dbench: throughput_mib of each repetition over the run (the drift interleaving absorbs)\nrun dbench-20261128-1410-quick, n = 8 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "throughput_mib (MB/s)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-dbench-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 1 title "hlink-user" noenhanced, "drift-dbench-ubd-ext4.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 2 title "ubd-ext4" noenhanced, "drift-dbench-virtio-blk.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "virtio-blk" noenhanced
