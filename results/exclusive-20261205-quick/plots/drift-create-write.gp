set terminal pngcairo size 900,520 font "sans,10"
set output "drift-create-write.png"
set title "create-write: create_write_ops_durable of each repetition over the run (the drift interleaving absorbs)\nrun exclusive-20261205-quick, n = 3 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "create_write_ops_durable (ops/s)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-create-write-guest-tmpfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "guest-tmpfs" noenhanced, "drift-create-write-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user" noenhanced, "drift-create-write-hlink-user-exclusive.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 3 title "hlink-user-exclusive" noenhanced, "drift-create-write-hostfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 4 title "hostfs" noenhanced, "drift-create-write-ubd-ext4.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "ubd-ext4" noenhanced, "drift-create-write-virtio-blk.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 2 title "virtio-blk" noenhanced, "drift-create-write-virtio-fs-always.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "virtio-fs-always" noenhanced
