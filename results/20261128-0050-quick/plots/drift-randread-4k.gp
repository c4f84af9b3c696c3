set terminal pngcairo size 900,520 font "sans,10"
set output "drift-randread-4k.png"
set title "randread-4k: read_iops of each repetition over the run (the drift interleaving absorbs)\nrun 20261128-0050-quick, n = 5 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "read_iops (IOPS)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-randread-4k-9p.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "9p" noenhanced, "drift-randread-4k-guest-tmpfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 2 title "guest-tmpfs" noenhanced, "drift-randread-4k-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 3 title "hlink-user" noenhanced, "drift-randread-4k-hostfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 4 title "hostfs" noenhanced, "drift-randread-4k-native.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "native" noenhanced, "drift-randread-4k-nfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 2 title "nfs" noenhanced, "drift-randread-4k-ubd-ext4.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "ubd-ext4" noenhanced, "drift-randread-4k-virtio-blk.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 4 title "virtio-blk" noenhanced, "drift-randread-4k-virtio-fs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "virtio-fs" noenhanced, "drift-randread-4k-virtio-fs-always.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 2 title "virtio-fs-always" noenhanced, "drift-randread-4k-virtio-fs-none.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "virtio-fs-none" noenhanced
