set terminal pngcairo size 900,520 font "sans,10"
set output "scaling-durable-jobs-write_iops.png"
set title "durable-jobs: write_iops against jobs (median, 95% interval)\nrun slow-tcg-20261128-0456-quick, n = 5 repetitions" noenhanced
set xlabel "jobs"
set ylabel "write_iops" noenhanced
set logscale xy 2
set grid
set key outside right
plot "scaling-durable-jobs-write_iops-hlink-kmod.dat" using 1:2:3:4 with yerrorlines linecolor rgb "#dd7711" dashtype 1 title "hlink-kmod" noenhanced, "scaling-durable-jobs-write_iops-tcg-hlink-user.dat" using 1:2:3:4 with yerrorlines linecolor rgb "#dd7711" dashtype 2 title "tcg-hlink-user" noenhanced, "scaling-durable-jobs-write_iops-tcg-ubd-ext4.dat" using 1:2:3:4 with yerrorlines linecolor rgb "#4477aa" dashtype 3 title "tcg-ubd-ext4" noenhanced
