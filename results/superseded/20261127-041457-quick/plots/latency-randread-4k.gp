set terminal pngcairo size 900,520 font "sans,10"
set output "latency-randread-4k.png"
set title "randread-4k: completion latency percentiles (repetition 1)" noenhanced
set xlabel "latency (us)"
set ylabel "percentile"
set yrange [0:100]
set logscale x
set grid
set key bottom right
plot "latency-randread-4k-guest-tmpfs.dat" using 2:1 with linespoints title "guest-tmpfs" noenhanced, "latency-randread-4k-hlink-user.dat" using 2:1 with linespoints title "hlink-user" noenhanced, "latency-randread-4k-hostfs.dat" using 2:1 with linespoints title "hostfs" noenhanced, "latency-randread-4k-native.dat" using 2:1 with linespoints title "native" noenhanced, "latency-randread-4k-ubd-ext4.dat" using 2:1 with linespoints title "ubd-ext4" noenhanced, "latency-randread-4k-virtio-blk.dat" using 2:1 with linespoints title "virtio-blk" noenhanced, "latency-randread-4k-virtio-fs.dat" using 2:1 with linespoints title "virtio-fs" noenhanced
