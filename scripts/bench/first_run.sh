#!/usr/bin/env bash
# A first run on a new or edited catalog (issue 17): `check` and `due --no-cache` read the
# YAML; BEFORE and AFTER binaries side by side in one hyperfine run, then peak RSS. Needs
# hyperfine and GNU time.
#
#   bash scripts/bench/first_run.sh AFTER_BINARY BEFORE_BINARY [N…]   (default N: 10000 100000)
set -euo pipefail

source "$(dirname "$0")/before_after.sh" "$@"
for n in ${sizes[*]}; do
  dir=$work/c$n
  python3 "$root/scripts/bench/generate_catalog.py" "$n" "$dir" >/dev/null
  cd "$dir"
  echo "## N = $n ($(du -k tasks.yaml | cut -f1) KB of tasks.yaml)"
  hyperfine -N --warmup 1 --runs "${RUNS:-5}" --style basic \
    -n before-check "$before check" -n after-check "$after check" \
    -n before-due-no-cache "$before due --no-cache --date 2026-06-01 -f json" \
    -n after-due-no-cache "$after due --no-cache --date 2026-06-01 -f json" \
    --output=null --export-markdown "$work/t$n.md" >/dev/null
  cat "$work/t$n.md"
  for b in before after; do
    bin=$before; [ $b = after ] && bin=$after
    /usr/bin/time -f "$b check: %e s wall, %U s user, %M KB peak" "$bin" check >/dev/null
  done
  echo
done
