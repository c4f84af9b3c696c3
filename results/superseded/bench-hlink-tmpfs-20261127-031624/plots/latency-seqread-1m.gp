set terminal pngcairo size 900,520 font "sans,10"
set output "latency-seqread-1m.png"
set title "seqread-1m: completion latency percentiles (repetition 1)" noenhanced
set xlabel "latency (us)"
set ylabel "percentile"
set yrange [0:100]
set logscale x
set grid
set key bottom right
plot "latency-seqread-1m-guest-tmpfs.dat" using 2:1 with linespoints title "guest-tmpfs" noenhanced, "latency-seqread-1m-hlink-user.dat" using 2:1 with linespoints title "hlink-user" noenhanced, "latency-seqread-1m-hostfs.dat" using 2:1 with linespoints title "hostfs" noenhanced, "latency-seqread-1m-native.dat" using 2:1 with linespoints title "native" noenhanced
