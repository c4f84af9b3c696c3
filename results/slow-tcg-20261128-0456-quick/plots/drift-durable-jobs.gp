set terminal pngcairo size 900,520 font "sans,10"
set output "drift-durable-jobs.png"
set title "durable-jobs: write_iops_jobs4 of each repetition over the run (the drift interleaving absorbs)\nrun slow-tcg-20261128-0456-quick, n = 5 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "write_iops_jobs4 (IOPS)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-durable-jobs-hlink-kmod.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 1 title "hlink-kmod" noenhanced, "drift-durable-jobs-tcg-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "tcg-hlink-user" noenhanced, "drift-durable-jobs-tcg-ubd-ext4.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "tcg-ubd-ext4" noenhanced
