set terminal pngcairo size 900,520 font "sans,10"
set output "drift-seqwrite-1m-direct.png"
set title "seqwrite-1m-direct: write_bw_mib of each repetition over the run (the drift interleaving absorbs)\nrun direct-tcg-20261128-0749-quick, n = 5 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "write_bw_mib (MiB/s)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-seqwrite-1m-direct-hlink-kmod.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 1 title "hlink-kmod" noenhanced, "drift-seqwrite-1m-direct-tcg-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "tcg-hlink-user" noenhanced, "drift-seqwrite-1m-direct-tcg-native.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "tcg-native" noenhanced, "drift-seqwrite-1m-direct-tcg-ubd-ext4.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 4 title "tcg-ubd-ext4" noenhanced
