set terminal pngcairo size 900,520 font "sans,10"
set output "latency-randread-4k-direct.png"
set title "randread-4k-direct: completion latency percentiles (median over repetitions)\nrun direct-tcg-20261128-0749-quick, n = 5 repetitions" noenhanced
set xlabel "latency (us)"
set ylabel "percentile"
set ytics ("p50" -log10(0.5), "p90" 1, "p99" 2, "p99.9" 3)
set yrange [0:3.2]
set logscale x
set grid
set key bottom right
plot "latency-randread-4k-direct-hlink-kmod.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#dd7711" dashtype 1 title "hlink-kmod" noenhanced, "latency-randread-4k-direct-tcg-hlink-user.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#dd7711" dashtype 2 title "tcg-hlink-user" noenhanced, "latency-randread-4k-direct-tcg-native.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 3 title "tcg-native" noenhanced, "latency-randread-4k-direct-tcg-ubd-ext4.dat" using 2:(-log10(1-$1/100)) with linespoints linecolor rgb "#4477aa" dashtype 4 title "tcg-ubd-ext4" noenhanced
