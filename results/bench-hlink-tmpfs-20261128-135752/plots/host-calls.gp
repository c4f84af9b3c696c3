set terminal pngcairo size 900,520 font "sans,10"
set output "host-calls.png"
set title "host system calls per guest operation (lower is better)\nrun bench-hlink-tmpfs-20261128-135752, n = 3 repetitions" noenhanced
set ylabel "calls per operation"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.7 border -1
set logscale y
set grid ytics
set xtics noenhanced rotate by -20
set key outside right
plot "host-calls.dat" using 2:xtic(1) title "guest-tmpfs" noenhanced, "host-calls.dat" using 3:xtic(1) title "hlink-user" noenhanced, "host-calls.dat" using 4:xtic(1) title "hostfs" noenhanced, "host-calls.dat" using 5:xtic(1) title "native" noenhanced
