# hlink: the high-level link and its benchmark harness.
# 'make help' lists the targets.

SHELL := /bin/bash
BUILD := build
CFLAGS_USER := -O2 -g -Wall -Wextra -Werror -std=gnu11
CONFIG ?=

.PHONY: help setup kernel kmod kmod-vm kmod-debian tools list-configs smoke test eval eval-vm eval-tcg eval-ownership stress bench-hlink fuzz plots paper check-fresh-root clean

help:
	@echo "make eval                  set up, build, run the quick evaluation on the direct"
	@echo "                           configurations; ends with plots (PROFILE=full for all)"
	@echo "make eval-vm               the same for hlink-kmod and tcg-* inside the host VM (KVM"
	@echo "                           where /dev/kvm works, else TCG: slow); eval-tcg is its old name"
	@echo "make eval-ownership        hlink-user (mapped ownership) against passthrough"
	@echo "make test                  set up, build, run the test suite"
	@echo "make smoke CONFIG=NAME     boot one configuration and run its smoke test"
	@echo "make bench-hlink           hlink-user against hostfs, with host calls per operation"
	@echo "make stress                the exerciser at scale, two guests on one export (~45 min)"
	@echo "make fuzz [FUZZ_SECONDS=N] libFuzzer on the user-space host module (default 600 s)"
	@echo "make plots RUN=results/ID  gnuplot plots and index.md of a run, from its raw files"
	@echo "make paper                 paper/hlink.pdf from the runs named in paper/runs.txt (LaTeX)"
	@echo "make list-configs          print the configuration names"
	@echo "make kernel                build (or reuse from the cache) the UML guest kernel"
	@echo "make kmod-debian           Debian's stock kernel for the VM, and hlink.ko for it"
	@echo "make setup                 install the Debian packages the project uses"
	@echo "make check-fresh-root      setup and the dependency check in a clean debootstrap root"
	@echo "make clean                 remove build outputs in this clone"

setup:
	@scripts/build/setup.sh

kernel: setup
	@scripts/build/build-kernel.sh >/dev/null

# hlink.ko built against the UML kernel (tests load it into a UML guest).
kmod: kernel
	@scripts/build/build-kmod.sh >/dev/null

# The x86_64 host kernel that QEMU boots for hlink-kmod and tcg-*, and
# hlink.ko built against it.
kmod-vm: setup
	@scripts/build/build-kernel.sh --arch x86_64 >/dev/null
	@scripts/build/build-kmod.sh --arch x86_64 >/dev/null

# Debian's stock kernel for hlink-kmod-debian, and hlink.ko built for it.
kmod-debian: setup
	@scripts/build/debian-kernel.sh >/dev/null

$(BUILD)/vhost-user-tag-proxy: scripts/run/vhost-user-tag-proxy.c
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS_USER) -o $@ $<

# The ABI conformance suite against the user-space host module, with sanitizers.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_USER_SRC := $(wildcard impl/host/user/*.c impl/common/*.c)
HOST_USER := $(HOST_USER_SRC) $(wildcard impl/host/user/*.h impl/common/*.h impl/common/*.def) impl/include/hlink_abi.h
$(BUILD)/hlink_conformance: tests/conformance/hlink_conformance.c $(HOST_USER)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS_USER) -O1 $(SAN) -pthread -Iimpl/include -Iimpl/common -Iimpl/host/user -o $@ $< $(HOST_USER_SRC)

# Sends forged raw requests from inside a guest (tests/guest/confine.sh); static,
# to run alone in a sealed mount namespace (tests/guest/confine-sealed.sh).
$(BUILD)/hlink_raw: tests/guest/hlink_raw.c impl/include/hlink_abi.h
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS_USER) -static -Iimpl/include -o $@ $<

# The same suite without sanitizers, to run inside guests against hlink.ko.
$(BUILD)/hlink_conformance_plain: tests/conformance/hlink_conformance.c $(HOST_USER)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS_USER) -pthread -Iimpl/include -Iimpl/common -Iimpl/host/user -o $@ $< $(HOST_USER_SRC)

# The fuzz corpus is kept as one archive (tests/fuzz/corpus.tar.xz, about 900
# inputs); the replays read it unpacked here, beside the replies recorded for it.
$(BUILD)/fuzz-corpus/.unpacked: tests/fuzz/corpus.tar.xz tests/fuzz/expected-user.txt
	rm -rf $(BUILD)/fuzz-corpus
	mkdir -p $(BUILD)/fuzz-corpus
	tar -C $(BUILD)/fuzz-corpus -xJf tests/fuzz/corpus.tar.xz
	cp tests/fuzz/expected-user.txt $(BUILD)/fuzz-corpus/
	touch $@

# Replays the fuzz corpus with sanitizers, for make test.
$(BUILD)/hlink_fuzz_replay: tests/fuzz/hlink_fuzz.c $(HOST_USER)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS_USER) -O1 $(SAN) -Iimpl/include -Iimpl/common -Iimpl/host/user -o $@ $< $(HOST_USER_SRC)

# The same without sanitizers, to replay the corpus against hlink.ko in a guest.
$(BUILD)/hlink_fuzz_replay_plain: tests/fuzz/hlink_fuzz.c $(HOST_USER)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS_USER) -Iimpl/include -Iimpl/common -Iimpl/host/user -o $@ $< $(HOST_USER_SRC)

# The libFuzzer target (clang): make fuzz.
$(BUILD)/hlink_fuzz: tests/fuzz/hlink_fuzz.c $(HOST_USER)
	@mkdir -p $(BUILD)
	clang $(CFLAGS_USER) -O1 -DHLINK_FUZZ_LIBFUZZER -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -Iimpl/include -Iimpl/common -Iimpl/host/user -o $@ $< $(HOST_USER_SRC)

tools: setup $(BUILD)/vhost-user-tag-proxy $(BUILD)/hlink_conformance $(BUILD)/hlink_conformance_plain $(BUILD)/hlink_raw $(BUILD)/hlink_fuzz_replay $(BUILD)/hlink_fuzz_replay_plain $(BUILD)/fuzz-corpus/.unpacked

# Long reliability runs: the exerciser at a million operations, with host-side
# churn, on hlink.ko in the TCG VM, and two guests on one export, on hlink-user
# and through hlink.ko (~50 min).
stress: kernel kmod-vm tools
	scripts/run/stress.sh

fuzz: setup $(BUILD)/hlink_fuzz $(BUILD)/fuzz-corpus/.unpacked
	scripts/run/fuzz.sh $(or $(FUZZ_SECONDS),600)

list-configs:
	@. scripts/common.sh && hlink_configs

# An entry names what it needs built beyond the kernel and tools (CFG_BUILD:
# the TCG entries need the x86_64 host kernel and hlink.ko).
smoke: kernel tools $(if $(CONFIG),$(shell . scripts/common.sh && [ -f baselines/$(CONFIG).sh ] && hlink_config_var $(CONFIG) CFG_BUILD))
	@. scripts/common.sh && hlink_check_config "$(CONFIG)"
	scripts/run/guest-run -t 600 $(CONFIG) -- $(CURDIR)/tests/smoke.sh

test: kernel kmod kmod-vm kmod-debian tools
	tests/run-tests.sh

eval: kernel tools
	scripts/run/eval.sh $(if $(PROFILE),--profile $(PROFILE))

eval-vm: kernel kmod-vm tools
	scripts/run/eval.sh --configs tcg $(if $(PROFILE),--profile $(PROFILE))

# The name it had when the host VM ran only on TCG.
eval-tcg: eval-vm

# What the default (mapped) ownership model costs against passthrough.
eval-ownership: kernel tools
	scripts/run/eval.sh --configs hlink-user,ownership $(if $(PROFILE),--profile $(PROFILE))

check-fresh-root: setup
	scripts/build/check-fresh-root.sh

# Plots and index page of a run from its results, no re-run: make plots RUN=results/ID
plots: setup
	@[ -n "$(RUN)" ] || { echo "usage: make plots RUN=results/<run-id>" >&2; exit 2; }
	python3 scripts/analysis results summarize $(RUN)
	python3 scripts/analysis plot $(RUN)

# The paper: its numbers, tables and figures generated from the reference runs
# (paper/runs.txt), then LaTeX. A box that overflows its line fails the build.
paper:
	@scripts/build/setup.sh --paper
	python3 scripts/analysis paper gen
	cd paper && latexmk -pdf -interaction=nonstopmode -halt-on-error -quiet hlink.tex
	@! grep -A2 '^Overfull' paper/hlink.log || { echo "paper: overfull boxes (above)" >&2; exit 1; }
	@echo "paper/hlink.pdf: $$(pdfinfo paper/hlink.pdf | sed -n 's/^Pages: *//p') pages"

# hlink-user against hostfs, side by side, with host calls per operation.
bench-hlink: kernel tools
	scripts/run/bench-hlink.sh

clean:
	rm -rf $(BUILD) paper/gen
	cd paper && rm -f hlink.pdf hlink.aux hlink.bbl hlink.blg hlink.log hlink.out hlink.fls hlink.fdb_latexmk
