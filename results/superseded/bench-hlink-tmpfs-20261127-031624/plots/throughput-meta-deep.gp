set terminal pngcairo size 900,520 font "sans,10"
set output "throughput-meta-deep.png"
set title "meta-deep: create_ops, higher is better (ratio to native)" noenhanced
set ylabel "create_ops / native" noenhanced
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set logscale y
set yrange [*:*]
set grid ytics
set xtics noenhanced
set key off
plot "throughput-meta-deep.dat" using 2:3:4:xtic(1) linecolor rgb "#4477aa"
