# app-git: git on a repository in the shared folder: clone it from a local
# bundle (about 640 files checked out), git status, git log -p of the two
# commits after the first, checkout of the first commit (about 290 files written, removed
# or changed), git status again, and sync; seconds for each step, and in
# all.
# profiles: quick full apps
# headline: total_s
# guarantee: durable
# needs: git-bundle
set -euo pipefail
bundle=${HLINK_GIT_BUNDLE:?HLINK_GIT_BUNDLE is not set (scripts/eval.sh sets it)}
. "$HLINK_SCRIPTS/workload-steps.sh"
export GIT_CONFIG_NOSYSTEM=1 HOME=/tmp
steps_begin
step clone git clone -q "$bundle" repo
step status git -C repo status --porcelain
step log git -C repo log -p --stat first..
step checkout git -C repo checkout -q first
step status2 git -C repo status --porcelain
[ ! -e repo/net ] && [ -d repo/fs/btrfs ] || { echo "app-git: the checkout did not happen" >&2; exit 1; }
step sync sync
steps_end
