set terminal pngcairo size 900,520 font "sans,10"
set output "latency-randwrite-4k.png"
set title "randwrite-4k: completion latency percentiles (repetition 1)" noenhanced
set xlabel "latency (us)"
set ylabel "percentile"
set yrange [0:100]
set logscale x
set grid
set key bottom right
plot "latency-randwrite-4k-guest-tmpfs.dat" using 2:1 with linespoints title "guest-tmpfs" noenhanced, "latency-randwrite-4k-hlink-user.dat" using 2:1 with linespoints title "hlink-user" noenhanced, "latency-randwrite-4k-hostfs.dat" using 2:1 with linespoints title "hostfs" noenhanced, "latency-randwrite-4k-native.dat" using 2:1 with linespoints title "native" noenhanced
