set terminal pngcairo size 900,520 font "sans,10"
set output "latency-randwrite-4k.png"
set title "randwrite-4k: completion latency percentiles (repetition 1)" noenhanced
set xlabel "latency (us)"
set ylabel "percentile"
set yrange [0:100]
set logscale x
set grid
set key bottom right
plot "latency-randwrite-4k-hlink-kmod.dat" using 2:1 with linespoints title "hlink-kmod" noenhanced, "latency-randwrite-4k-tcg-hlink-user.dat" using 2:1 with linespoints title "tcg-hlink-user" noenhanced, "latency-randwrite-4k-tcg-hostfs.dat" using 2:1 with linespoints title "tcg-hostfs" noenhanced, "latency-randwrite-4k-tcg-native.dat" using 2:1 with linespoints title "tcg-native" noenhanced, "latency-randwrite-4k-tcg-ubd-ext4.dat" using 2:1 with linespoints title "tcg-ubd-ext4" noenhanced
