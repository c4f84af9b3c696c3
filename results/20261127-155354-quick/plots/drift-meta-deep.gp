set terminal pngcairo size 900,520 font "sans,10"
set output "drift-meta-deep.png"
set title "meta-deep: meta_ops_durable of each repetition over the run (the drift interleaving absorbs)\nrun 20261127-155354-quick, n = 5 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "meta_ops_durable (ops/s)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-meta-deep-hlink-kmod.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 1 title "hlink-kmod" noenhanced, "drift-meta-deep-tcg-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "tcg-hlink-user" noenhanced, "drift-meta-deep-tcg-hostfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "tcg-hostfs" noenhanced
