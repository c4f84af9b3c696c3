set terminal pngcairo size 900,520 font "sans,10"
set output "drift-randwrite-4k-durable.png"
set title "randwrite-4k-durable: write_iops of each repetition over the run (the drift interleaving absorbs)\nrun 20261127-155354-quick, n = 5 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "write_iops (IOPS)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-randwrite-4k-durable-hlink-kmod.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 1 title "hlink-kmod" noenhanced, "drift-randwrite-4k-durable-tcg-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "tcg-hlink-user" noenhanced, "drift-randwrite-4k-durable-tcg-hostfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "tcg-hostfs" noenhanced
