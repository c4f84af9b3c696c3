import os, time, sys
d = os.path.join(os.environ["HLINK_MNT"], *["d%d" % i for i in range(8)])
os.makedirs(d)
n = int(sys.argv[1])
t = time.time()
for i in range(n):
    fd = os.open(os.path.join(d, "f%d" % i), os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o644)
    os.close(fd)
t1 = time.time()
print("create/s", n / (t1 - t))
for i in range(n):
    os.stat(os.path.join(d, "f%d" % i))
t2 = time.time()
print("stat/s", n / (t2 - t1))
for i in range(n):
    os.unlink(os.path.join(d, "f%d" % i))
t3 = time.time()
print("unlink/s", n / (t3 - t2))
os.sync()
for l in open("/proc/self/mountstats"):
    if "hlink" in l: print(l.strip()[:400])
