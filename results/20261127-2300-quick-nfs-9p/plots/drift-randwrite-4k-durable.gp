set terminal pngcairo size 900,520 font "sans,10"
set output "drift-randwrite-4k-durable.png"
set title "randwrite-4k-durable: write_iops of each repetition over the run (the drift interleaving absorbs)\nrun 20261127-2300-quick-nfs-9p, n = 5 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "write_iops (IOPS)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-randwrite-4k-durable-9p.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "9p" noenhanced, "drift-randwrite-4k-durable-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user" noenhanced, "drift-randwrite-4k-durable-hostfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "hostfs" noenhanced, "drift-randwrite-4k-durable-nfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 4 title "nfs" noenhanced, "drift-randwrite-4k-durable-virtio-fs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "virtio-fs" noenhanced
