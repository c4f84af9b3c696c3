set terminal pngcairo size 900,520 font "sans,10"
set output "drift-readdir-large.png"
set title "readdir-large: readdir_entries_cold of each repetition over the run (the drift interleaving absorbs)\nrun readdir-20261128-1100-final, n = 8 repetitions" noenhanced
set xlabel "minutes since the first repetition"
set ylabel "readdir_entries_cold (entries/s)" noenhanced
set logscale y
set grid
set key outside right
plot "drift-readdir-large-guest-tmpfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "guest-tmpfs" noenhanced, "drift-readdir-large-hlink-user.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 2 title "hlink-user" noenhanced, "drift-readdir-large-hlink-user-readdirplus.dat" using 1:2 with linespoints linecolor rgb "#dd7711" dashtype 3 title "hlink-user-readdirplus" noenhanced, "drift-readdir-large-hostfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 4 title "hostfs" noenhanced, "drift-readdir-large-nfs.dat" using 1:2 with linespoints linecolor rgb "#4477aa" dashtype 1 title "nfs" noenhanced
