#!/usr/bin/env bash
# A year's plan without a journal (issue 17): `plan --from 2026-01-01 --to 2026-12-31` as
# JSON and CSV, BEFORE and AFTER binaries on the same generated catalogs (compiled catalog
# warm): the md5 of each output (they must agree), then wall, user and system time and peak
# RSS of a run to /dev/null. Needs GNU time. When the machine is quiet, add hyperfine:
#   hyperfine -N --warmup 1 "$AFTER plan --from 2026-01-01 --to 2026-12-31 -f json" …
#
#   bash scripts/bench/plan_year.sh AFTER_BINARY BEFORE_BINARY [N…]   (default N: 10000 100000)
#   MIX=--cron-heavy bash scripts/bench/plan_year.sh …   (the generator's second mix)
set -euo pipefail

# shellcheck source=scripts/bench/before_after.sh
source "$(dirname "$0")/before_after.sh" "$@"
range=(plan --from 2026-01-01 --to 2026-12-31)
for n in ${sizes[*]}; do
  dir=$work/c$n
  python3 "$root/scripts/bench/generate_catalog.py" "$n" "$dir" ${MIX:-} >/dev/null
  cd "$dir"
  echo "## N = $n ${MIX:-}"
  for format in json csv; do
    for b in before after; do
      bin=$before; [ $b = after ] && bin=$after
      "$bin" due -f json >/dev/null # fills the compiled catalog
      sum=$("$bin" "${range[@]}" -f "$format" | md5sum | cut -c1-32)
      /usr/bin/time -f "%e s wall, %U s user, %S s system, %M KB peak" -o "$work/time" \
        "$bin" "${range[@]}" -f "$format" >/dev/null
      echo "$b -f $format: md5 $sum; $(cat "$work/time")"
    done
  done
  echo
done
