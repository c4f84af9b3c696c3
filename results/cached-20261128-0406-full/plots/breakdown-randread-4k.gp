set terminal pngcairo size 900,520 font "sans,10"
set output "breakdown-randread-4k.png"
set title "randread-4k: mean completion latency = guest floor (guest-tmpfs) + what the stack adds\nrun cached-20261128-0406-full, n = 15 repetitions" noenhanced
set ylabel "latency (us)"
set style data histogram
set style histogram rowstacked
set style fill solid 0.7 border -1
set boxwidth 0.6
set grid ytics
set xtics noenhanced rotate by -20
set key top left
plot "breakdown-randread-4k.dat" using 2:xtic(1) linecolor rgb "#999999" title "floor: UML system-call cost (guest-tmpfs)", \
     "" using 3 linecolor rgb "#dd7711" title "added by the stack"
