set terminal pngcairo size 900,520 font "sans,10"
set output "drift-meta-deep.png"
set title "meta-deep: meta_ops_durable of each repetition over the run (the drift interleaving absorbs)\nrun bench-hlink-tmpfs-20261128-135752, n = 12 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "meta_ops_durable (ops/s)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-meta-deep-guest-tmpfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "guest-tmpfs" noenhanced, "drift-meta-deep-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user" noenhanced, "drift-meta-deep-hostfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "hostfs" noenhanced, "drift-meta-deep-native.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 4 title "native" noenhanced
