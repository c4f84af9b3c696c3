set terminal pngcairo size 900,520 font "sans,10"
set output "latency-seqwrite-1m.png"
set title "seqwrite-1m: completion latency percentiles (repetition 1)" noenhanced
set xlabel "latency (us)"
set ylabel "percentile"
set yrange [0:100]
set logscale x
set grid
set key bottom right
plot "latency-seqwrite-1m-hlink-kmod.dat" using 2:1 with linespoints title "hlink-kmod" noenhanced, "latency-seqwrite-1m-tcg-hlink-user.dat" using 2:1 with linespoints title "tcg-hlink-user" noenhanced, "latency-seqwrite-1m-tcg-hostfs.dat" using 2:1 with linespoints title "tcg-hostfs" noenhanced, "latency-seqwrite-1m-tcg-native.dat" using 2:1 with linespoints title "tcg-native" noenhanced, "latency-seqwrite-1m-tcg-ubd-ext4.dat" using 2:1 with linespoints title "tcg-ubd-ext4" noenhanced
