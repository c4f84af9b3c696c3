set terminal pngcairo size 900,520 font "sans,10"
set output "throughput-randwrite-4k-buffered.png"
set title "randwrite-4k-buffered: write_iops, higher is better (median, 95% interval)\nrun cached-20261128-0406-full, n = 15 repetitions" noenhanced
set ylabel "write_iops (IOPS)" noenhanced
set style fill solid 0.7 border -1
set boxwidth 0.6
set grid ytics
set xtics noenhanced rotate by -20
set xrange [-0.6:1.6]
set yrange [0:*]

set key top left
plot "throughput-randwrite-4k-buffered.dat" using 1:3:6:xtic(2) with boxes linecolor rgb variable notitle, \
     "" using 1:3:4:5 with yerrorbars linecolor rgb "black" pointtype 0 title "95% interval", \
     1/0 with boxes linecolor rgb "#dd7711" title "this work (hlink)", \
     1/0 with boxes linecolor rgb "#4477aa" title "baselines"
