# Shared shell helpers; sourced, never run.
# shellcheck shell=bash

HLINK_ROOT=${HLINK_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
# Build outputs live outside the clone so fresh clones and CI reuse them.
HLINK_CACHE=${HLINK_CACHE:-/var/cache/hlink}
# Per-run state (images, sockets, exports). Same host fs for every config.
HLINK_WORK=${HLINK_WORK:-/var/tmp/hlink}

hlink_log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
hlink_die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 2; }

# Print the names of all configurations, one per line.
hlink_configs() {
	local f
	for f in "$HLINK_ROOT"/baselines/*.sh; do
		f=${f##*/}
		[ "$f" = lib.sh ] || echo "${f%.sh}"
	done
}

# Print variable $2 of configuration $1's entry, or $3 if it does not set it.
hlink_config_var() {
	(
		. "$HLINK_ROOT/baselines/lib.sh"
		. "$HLINK_ROOT/baselines/$1.sh"
		eval "echo \"\${$2:-$3}\""
	)
}

# Exit with a clear message unless $1 names a configuration.
hlink_check_config() {
	local name=$1
	if [ -z "$name" ] || [ ! -f "$HLINK_ROOT/baselines/$name.sh" ] || [ "$name" = lib ]; then
		hlink_die "unknown configuration '${name}'; valid names: $(hlink_configs | tr '\n' ' ')"
	fi
}

# Value of the '# KEY:' line of workload file $1's header (scripts/analysis/workloads.py
# holds the grammar).
hlink_workload_header() { python3 "$HLINK_ROOT/scripts/analysis" workloads get "$1" "$2" || true; }

# Guest and image sizes, defined here once.
HLINK_GUEST_MEM=${HLINK_GUEST_MEM:-2G}
HLINK_DISK_SIZE=${HLINK_DISK_SIZE:-4G}

# For the host side of a workload's needs (scripts/run/needs/*.host.sh):
# the version of Debian's linux-source, or "not run" (77) without it.
hlink_kernel_source_version() {
	dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null ||
		{ echo "not run: linux-source-6.1 is not installed"; exit 77; }
}
# Its unpacked tree in the cache (make kernel unpacks it), or "not run".
hlink_kernel_source_tree() {
	local src=$HLINK_CACHE/src/$1
	[ -d "$src/fs" ] || { echo "not run: no unpacked kernel source in $src (make kernel)"; exit 77; }
	echo "$src"
}
