set terminal pngcairo size 900,520 font "sans,10"
set output "drift-durable-jobs.png"
set title "durable-jobs: write_iops_jobs4 of each repetition over the run (the drift interleaving absorbs)\nrun slow-20261128-0340-quick, n = 5 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "write_iops_jobs4 (IOPS)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-durable-jobs-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 1 title "hlink-user" noenhanced, "drift-durable-jobs-hlink-user-sync.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user-sync" noenhanced, "drift-durable-jobs-native.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "native" noenhanced, "drift-durable-jobs-ubd-ext4.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 4 title "ubd-ext4" noenhanced, "drift-durable-jobs-virtio-blk.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "virtio-blk" noenhanced
