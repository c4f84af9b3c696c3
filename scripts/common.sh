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
