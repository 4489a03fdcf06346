#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each (default 60), one after
# another, one process each at the lowest CPU priority (the machine's other work keeps its
# cores), and fails if any target finds a crash, a panic, a failed assertion, a hang (an
# input taking over 10 s) or runaway memory (over 1 GB).
#
#   bash fuzz/run.sh [SECONDS [TARGET…]]
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Targets are
# built with optimizations, debug assertions, overflow checks and AddressSanitizer (the
# cargo-fuzz default). New inputs go to fuzz/corpus/<target>/, starting from the committed
# seeds in fuzz/seeds/<target>/; a failing input is saved in fuzz/artifacts/<target>/ and
# can be replayed with `cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>`.
# Every failure found this way becomes a regression test in tests/ before it is fixed.
set -euo pipefail

seconds=${1:-60}
case $seconds in
'' | *[!0-9]*) echo "usage: $0 [SECONDS [TARGET…]]" >&2; exit 2 ;;
esac
shift $(($# > 0 ? 1 : 0))
cd "$(dirname "$0")"
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz/run.sh: needs a nightly toolchain and cargo-fuzz: rustup toolchain install nightly; cargo install cargo-fuzz" >&2
    exit 2
fi

targets=(catalog_load cadence_parse date_arg journal_import render_csv render_html render_ics render_email holidays_ics)
if (($#)); then
    targets=("$@")
fi
nice -n 19 cargo +nightly fuzz build
failed=()
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    echo "== $target: ${seconds}s"
    if ! nice -n 19 cargo +nightly fuzz run "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -malloc_limit_mb=1024 \
        -print_final_stats=1; then
        failed+=("$target")
    fi
done
if ((${#failed[@]})); then
    echo "fuzz/run.sh: failures in ${failed[*]}; inputs are in fuzz/artifacts/" >&2
    exit 1
fi
echo "fuzz/run.sh: ${#targets[@]} targets, ${seconds}s each, no failures"
