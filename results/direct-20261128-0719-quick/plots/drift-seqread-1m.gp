set terminal pngcairo size 900,520 font "sans,10"
set output "drift-seqread-1m.png"
set title "seqread-1m: read_bw_mib of each repetition over the run (the drift interleaving absorbs)\nrun direct-20261128-0719-quick, n = 5 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "read_bw_mib (MiB/s)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-seqread-1m-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 1 title "hlink-user" noenhanced, "drift-seqread-1m-hlink-user-copy.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user-copy" noenhanced, "drift-seqread-1m-native.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "native" noenhanced, "drift-seqread-1m-ubd-ext4.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 4 title "ubd-ext4" noenhanced, "drift-seqread-1m-virtio-blk.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "virtio-blk" noenhanced
