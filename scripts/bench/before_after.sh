# The preamble of the benchmarks that run an AFTER and a BEFORE binary on generated catalogs
# of N tasks (first_run.sh, plan_year.sh), sourced with their arguments:
#
#   source "$(dirname "$0")/before_after.sh" "$@"    # AFTER_BINARY BEFORE_BINARY [N…]
#
# Sets $root (the repository), $after, $before and $sizes (default 10000 100000); makes a
# scratch directory $work, removed on exit, with HOME, the XDG directories and the journal
# in it, today 2026-11-23 and no colour.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
after=${1:?after binary}
before=${2:?before binary}
shift 2
sizes=("${@:-10000 100000}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache
export SOCCTL_TODAY=2026-11-23 NO_COLOR=1 SOCCTL_JOURNAL=$work/none.db
