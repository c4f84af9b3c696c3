set terminal pngcairo size 900,520 font "sans,10"
set output "drift-durable-busy.png"
set title "durable-busy: spin_per_s of each repetition over the run (the drift interleaving absorbs)\nrun busy-20261128-0536-full, n = 5 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "spin_per_s (loops/s)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-durable-busy-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 1 title "hlink-user" noenhanced, "drift-durable-busy-hlink-user-sync.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user-sync" noenhanced
