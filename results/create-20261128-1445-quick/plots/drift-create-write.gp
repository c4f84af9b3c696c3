set terminal pngcairo size 900,520 font "sans,10"
set output "drift-create-write.png"
set title "create-write: create_write_ops_durable of each repetition over the run (the drift interleaving absorbs)\nrun create-20261128-1445-quick, n = 5 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "create_write_ops_durable (ops/s)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-create-write-guest-tmpfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "guest-tmpfs" noenhanced, "drift-create-write-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user" noenhanced, "drift-create-write-hostfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "hostfs" noenhanced, "drift-create-write-ubd-ext4.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 4 title "ubd-ext4" noenhanced, "drift-create-write-virtio-blk.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "virtio-blk" noenhanced
