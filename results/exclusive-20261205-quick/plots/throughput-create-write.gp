set terminal pngcairo size 900,520 font "sans,10"
set output "throughput-create-write.png"
set title "create-write: create_write_ops_durable, higher is better (median, 95% interval)\nrun exclusive-20261205-quick, n = 3 repetitions" noenhanced
set ylabel "create_write_ops_durable (ops/s)" noenhanced
set style fill solid 0.7 border -1
set boxwidth 0.6
set grid ytics
set xtics noenhanced rotate by -20
set xrange [-0.6:6.6]
set yrange [0:*]

set key top left
plot "throughput-create-write.dat" using 1:3:6:xtic(2) with boxes linecolor rgb variable notitle, \
     "" using 1:3:4:5 with yerrorbars linecolor rgb "black" pointtype 0 title "95% interval", \
     1/0 with boxes linecolor rgb "#dd7711" title "this work (hlink)", \
     1/0 with boxes linecolor rgb "#4477aa" title "baselines"
