set terminal pngcairo size 900,520 font "sans,10"
set output "scaling-durable-jobs-write_iops.png"
set title "durable-jobs: write_iops against jobs (median, 95% interval)\nrun slow-20261128-0340-quick, n = 5 repetitions" noenhanced
set xlabel "jobs"
set ylabel "write_iops" noenhanced
set logscale xy 2
set grid
set key outside right
plot "scaling-durable-jobs-write_iops-hlink-user.dat" using 1:2:3:4 with yerrorlines linecolor rgb "#dd7711" dashtype 1 title "hlink-user" noenhanced, "scaling-durable-jobs-write_iops-hlink-user-sync.dat" using 1:2:3:4 with yerrorlines linecolor rgb "#dd7711" dashtype 2 title "hlink-user-sync" noenhanced, "scaling-durable-jobs-write_iops-native.dat" using 1:2:3:4 with yerrorlines linecolor rgb "#4477aa" dashtype 3 title "native" noenhanced, "scaling-durable-jobs-write_iops-ubd-ext4.dat" using 1:2:3:4 with yerrorlines linecolor rgb "#4477aa" dashtype 4 title "ubd-ext4" noenhanced, "scaling-durable-jobs-write_iops-virtio-blk.dat" using 1:2:3:4 with yerrorlines linecolor rgb "#4477aa" dashtype 1 title "virtio-blk" noenhanced
