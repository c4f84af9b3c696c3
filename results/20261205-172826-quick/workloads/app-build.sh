# app-build: building real C code in the shared folder: unpack the sources
# of the Linux tools' libsubcmd from Debian's linux-source (its 7 C files
# and the tools/ headers they include, about 370 files), build the library
# with make -j2 (each object with its dependency file, then the archive),
# run make again with nothing to do (it stats every source and header),
# and sync; seconds for each step, and in all. The rules are plain ones,
# not the kernel tools' own build system, whose 130 processes for 7 objects
# a UML guest, which creates processes about 12 times more slowly than its
# host, would spend most of the run on.
# profiles: quick full apps
# headline: total_s
# guarantee: durable
# needs: build-tarball
set -euo pipefail
tarball=${HLINK_BUILD_TARBALL:?HLINK_BUILD_TARBALL is not set (scripts/eval.sh sets it)}
. "$HLINK_SCRIPTS/workload-steps.sh"
cat >Makefile.subcmd <<'MK'
src := src/tools/lib/subcmd
objs := $(patsubst %.c,%.o,$(wildcard $(src)/*.c))
CFLAGS := -O2 -Wall -std=gnu99 -fPIC -MMD -D_LARGEFILE64_SOURCE -D_FILE_OFFSET_BITS=64 -D_GNU_SOURCE -Isrc/tools/include
$(src)/libsubcmd.a: $(objs)
	ar rcs $@ $^
%.o: %.c
	$(CC) $(CFLAGS) -c -o $@ $<
-include $(objs:.o=.d)
MK
steps_begin
step untar tar -xf "$tarball"
step build make -s -f Makefile.subcmd -j2
step rebuild make -s -f Makefile.subcmd -j2
[ -f src/tools/lib/subcmd/libsubcmd.a ] || { echo "app-build: no libsubcmd.a was built" >&2; exit 1; }
step sync sync
steps_end
