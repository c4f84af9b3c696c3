set terminal pngcairo size 900,520 font "sans,10"
set output "drift-seqwrite-1m.png"
set title "seqwrite-1m: write_bw_mib of each repetition over the run (the drift interleaving absorbs)\nrun 20261127-155354-quick, n = 5 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "write_bw_mib (MiB/s)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-seqwrite-1m-hlink-kmod.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 1 title "hlink-kmod" noenhanced, "drift-seqwrite-1m-tcg-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "tcg-hlink-user" noenhanced, "drift-seqwrite-1m-tcg-hostfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "tcg-hostfs" noenhanced
