set terminal pngcairo size 900,520 font "sans,10"
set output "scaling-durable-jobs-write_iops.png"
set title "durable-jobs: write_iops against jobs (median, 95% interval)\nrun exclusive-20261205-quick, n = 3 repetitions" noenhanced
set xlabel "jobs"
set ylabel "write_iops" noenhanced
set logscale xy 2
set grid
set key outside right
plot "scaling-durable-jobs-write_iops-guest-tmpfs.dat" using 1:2:3:4 with yerrorlines linecolor rgb "#4477aa" dashtype 1 title "guest-tmpfs" noenhanced, "scaling-durable-jobs-write_iops-hlink-user.dat" using 1:2:3:4 with yerrorlines linecolor rgb "#dd7711" dashtype 2 title "hlink-user" noenhanced, "scaling-durable-jobs-write_iops-hlink-user-exclusive.dat" using 1:2:3:4 with yerrorlines linecolor rgb "#dd7711" dashtype 3 title "hlink-user-exclusive" noenhanced, "scaling-durable-jobs-write_iops-hostfs.dat" using 1:2:3:4 with yerrorlines linecolor rgb "#4477aa" dashtype 4 title "hostfs" noenhanced, "scaling-durable-jobs-write_iops-ubd-ext4.dat" using 1:2:3:4 with yerrorlines linecolor rgb "#4477aa" dashtype 1 title "ubd-ext4" noenhanced, "scaling-durable-jobs-write_iops-virtio-blk.dat" using 1:2:3:4 with yerrorlines linecolor rgb "#4477aa" dashtype 2 title "virtio-blk" noenhanced, "scaling-durable-jobs-write_iops-virtio-fs-always.dat" using 1:2:3:4 with yerrorlines linecolor rgb "#4477aa" dashtype 3 title "virtio-fs-always" noenhanced
