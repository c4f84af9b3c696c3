/*
 * /init of the initramfs with which the host VM boots a distribution's
 * kernel (scripts/build/debian-kernel.sh), whose virtio and 9p drivers are
 * modules: load the modules listed in /modules.order, in that order, mount
 * the host's / over virtio-9p read-only, as the project's own kernel does
 * with root=root rootfstype=9p, and run the init= of the kernel command line
 * there. Built static: the initramfs holds nothing else.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "vm-rdinit: %s: %s\n", what, strerror(errno));
	/* PID 1 exiting panics the kernel; panic=-1 reboots, which ends QEMU. */
	exit(1);
}

static void load_modules(void)
{
	char path[512];
	FILE *f = fopen("/modules.order", "r");

	if (!f)
		die("/modules.order");
	while (fgets(path, sizeof(path), f)) {
		int fd;

		path[strcspn(path, "\n")] = '\0';
		if (!path[0])
			continue;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die(path);
		/* ENODEV: hardware it drives is absent (crc32c-intel without SSE4.2). */
		if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST && errno != ENODEV)
			die(path);
		close(fd);
	}
	fclose(f);
}

/* The init= argument of the kernel command line. */
static void init_path(char *out, size_t len)
{
	char line[4096], *p, *end;
	int fd = open("/proc/cmdline", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		die("/proc/cmdline");
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n < 0)
		die("/proc/cmdline");
	line[n] = '\0';
	for (p = line; (p = strstr(p, "init=")); p += 5)
		if (p == line || p[-1] == ' ')
			break;
	if (!p) {
		errno = ENOENT;
		die("no init= on the kernel command line");
	}
	p += 5;
	end = p + strcspn(p, " \n");
	if ((size_t)(end - p) >= len) {
		errno = ENAMETOOLONG;
		die("init=");
	}
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
}

int main(void)
{
	char init[1024];
	int tries;

	mkdir("/proc", 0755);
	if (mount("proc", "/proc", "proc", 0, NULL))
		die("mount /proc");
	load_modules();
	init_path(init, sizeof(init));
	mkdir("/newroot", 0755);
	/* A virtio device may still be probing just after its module loads. */
	for (tries = 0; mount("root", "/newroot", "9p", MS_RDONLY,
			      "trans=virtio,version=9p2000.L,msize=262144"); tries++) {
		if (tries == 50)
			die("mount the 9p root");
		usleep(100000);
	}
	umount("/proc");
	if (chdir("/newroot") || mount(".", "/", NULL, MS_MOVE, NULL) || chroot(".") || chdir("/"))
		die("switch to the 9p root");
	execl(init, init, (char *)NULL);
	die(init);
	return 1;
}
