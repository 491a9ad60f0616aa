#!/usr/bin/env bash
# The batch's CPU a report against the sum of its stages' benches, measured in one run (this
# machine's speed moves by half from hour to hour, so the two are only compared side by
# side): the stages are criterion's `mix` benches over the text, HTML and Markdown reports
# of the repository and ../shared (ingest, parse, the first pass, the rules with each
# report's predecessor), the batch is `scripts/bench-corpus.sh`'s corpus of copies of the
# same reports, on every core.
#   scripts/bench-gap.sh [N]     (default 5000 reports in the batch)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-5000}"
cargo build --release --quiet -p nianbao-cli
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo bench --quiet --bench pipeline -- 'mix/(ingest|parse|first_pass|rules_with_previous)$' \
  --warm-up-time 1 --measurement-time 4 >"$log" 2>&1
# The mix's size: criterion's throughput line is in reports a second.
reports=$(find samples ../shared/corpus -maxdepth 1 -type f \
  \( -name '*.txt' -o -name '*.html' -o -name '*.md' \) | wc -l)
stages=$(awk -v reports="$reports" '
  /^mix\// { name = $1 }
  /time:/ && name != "" {
    # "time:   [low unit mid unit high unit]": the middle estimate.
    for (i = 1; i <= NF; i++) if ($i ~ /^\[/) break
    value = $(i + 2); unit = $(i + 3)
    us = (unit == "ms") ? value * 1000 : (unit == "s") ? value * 1e6 : (unit == "ns") ? value / 1000 : value
    printf "  %-28s %7.1f µs a report\n", name, us / reports
    sum += us / reports; name = ""
  }
  END { printf "  %-28s %7.1f µs a report\n", "sum of the stages", sum }' "$log")
echo "stage benches (mix of $reports reports):"
echo "$stages"
sum=$(echo "$stages" | awk '/sum of the stages/ { print $(NF-3) }')
[ -d "target/bench-corpus/$n" ] || RUNS=1 scripts/bench-corpus.sh "$n" >/dev/null
# On every core, as a batch runs; then on one, without the other core's share of the caches
# and memory (what the benches, on one thread, see).
for threads in "$(nproc)" 1; do
  times=$(mktemp)
  RAYON_NUM_THREADS=$threads /usr/bin/time -o "$times" -f "%U %S %e" target/release/nianbao \
    audit "target/bench-corpus/$n" --format json -o target/bench-audit.json -q || true
  read -r user sys wall < <(tail -n 1 "$times")
  rm -f "$times"
  awk -v n="$n" -v t="$threads" -v u="$user" -v s="$sys" -v w="$wall" -v sum="$sum" 'BEGIN {
    cpu = (u + s) / n * 1e6
    printf "batch of %d on %d thread(s): %.2f s wall, %.1f µs CPU a report: %+.0f%% of the stages\n",
      n, t, w, cpu, (cpu / sum - 1) * 100 }'
done
