set terminal pngcairo size 900,520 font "sans,10"
set output "drift-randread-4k.png"
set title "randread-4k: read_iops of each repetition over the run (the drift interleaving absorbs)\nrun cached-20261128-0406-full, n = 15 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "read_iops (IOPS)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-randread-4k-guest-tmpfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "guest-tmpfs" noenhanced, "drift-randread-4k-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user" noenhanced
