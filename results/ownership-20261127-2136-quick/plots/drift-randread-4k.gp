set terminal pngcairo size 900,520 font "sans,10"
set output "drift-randread-4k.png"
set title "randread-4k: read_iops of each repetition over the run (the drift interleaving absorbs)\nrun ownership-20261127-2136-quick, n = 5 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "read_iops (IOPS)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-randread-4k-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 1 title "hlink-user" noenhanced, "drift-randread-4k-hlink-user-passthrough.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user-passthrough" noenhanced
