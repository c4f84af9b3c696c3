set terminal pngcairo size 900,520 font "sans,10"
set output "drift-seqread-1m-host-cold.png"
set title "seqread-1m-host-cold: read_bw_mib of each repetition over the run (the drift interleaving absorbs)\nrun bench-hlink-disk-20261127-165012, n = 5 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "read_bw_mib (MiB/s)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-seqread-1m-host-cold-guest-tmpfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "guest-tmpfs" noenhanced, "drift-seqread-1m-host-cold-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user" noenhanced, "drift-seqread-1m-host-cold-hostfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 3 title "hostfs" noenhanced, "drift-seqread-1m-host-cold-native.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 4 title "native" noenhanced
