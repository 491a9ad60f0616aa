#!/usr/bin/env bash
# The batch's CPU a report against the sum of its stages' benches, measured in one run (this
# machine's speed moves by half from hour to hour, so the two are only compared side by
# side): the stages are criterion's `mix` benches over the text, HTML and Markdown reports
# of the repository and ../shared (ingest, parse, the first pass, the rules with each
# report's predecessor), the batch is `scripts/bench-corpus.sh`'s corpus of copies of the
# same reports, on every core.
#   scripts/bench-gap.sh [N]     (default 5000 reports in the batch)
#   ROUNDS=5 scripts/bench-gap.sh  (default 3 rounds, both sides each; the median is
#                                   what to read: with one batch run a round, a round
#                                   moved by ±20% here; with three, within 3%)
#   BATCH_RUNS=1 scripts/bench-gap.sh  (the batch runs this many times a round, default 3,
#                                   and the least CPU counts: a neighbour's load only ever
#                                   adds time, as bench-corpus.sh takes the best run)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-5000}"
rounds="${ROUNDS:-3}"
cargo build --release --quiet -p nianbao-cli
[ -d "target/bench-corpus/$n" ] || RUNS=1 scripts/bench-corpus.sh "$n" >/dev/null
# The mix's size: criterion's times are for the whole mix.
reports=$(find samples ../shared/corpus -maxdepth 1 -type f \
  \( -name '*.txt' -o -name '*.html' -o -name '*.md' \) | wc -l)
log=$(mktemp)
results=$(mktemp)
trap 'rm -f "$log" "$results"' EXIT

# Prints each stage's µs a report and, last, their sum.
stage_benches() {
  cargo bench --quiet --bench pipeline -- 'mix/(ingest|parse|first_pass|rules_with_previous)$' \
    --warm-up-time 1 --measurement-time 4 >"$log" 2>&1
  awk -v reports="$reports" '
    /^mix\// { name = $1 }
    /time:/ && name != "" {
      # "time:   [low unit mid unit high unit]": the middle estimate.
      for (i = 1; i <= NF; i++) if ($i ~ /^\[/) break
      value = $(i + 2); unit = $(i + 3)
      us = (unit == "ms") ? value * 1000 : (unit == "s") ? value * 1e6 : (unit == "ns") ? value / 1000 : value
      printf "  %-28s %7.1f µs a report\n", name, us / reports
      sum += us / reports; name = ""
    }
    END { printf "  %-28s %7.1f µs a report\n", "sum of the stages", sum }' "$log"
}

# The batch's CPU (user and system) a report, in µs, on $1 threads: the least of
# $BATCH_RUNS runs.
batch_cpu() {
  local times user sys wall best=""
  times=$(mktemp)
  for _ in $(seq 1 "${BATCH_RUNS:-3}"); do
    RAYON_NUM_THREADS=$1 /usr/bin/time -o "$times" -f "%U %S %e" target/release/nianbao \
      audit "target/bench-corpus/$n" --format json -o target/bench-audit.json -q || true
    read -r user sys wall < <(tail -n 1 "$times")
    best=$(awk -v n="$n" -v u="$user" -v s="$sys" -v b="$best" 'BEGIN {
      cpu = (u + s) / n * 1e6; printf "%.1f", (b == "" || cpu < b) ? cpu : b }')
  done
  rm -f "$times"
  echo "$best"
}

for round in $(seq 1 "$rounds"); do
  echo "round $round: stage benches (one thread, the mix of $reports reports again and again):"
  stages=$(stage_benches)
  echo "$stages"
  sum=$(echo "$stages" | awk '/sum of the stages/ { print $(NF-3) }')
  # On every core, as a batch runs; then on one, as the benches run.
  for threads in "$(nproc)" 1; do
    cpu=$(batch_cpu "$threads")
    awk -v n="$n" -v t="$threads" -v cpu="$cpu" -v sum="$sum" -v r="$round" -v out="$results" 'BEGIN {
      gap = (cpu / sum - 1) * 100
      printf "  batch of %d on %d thread(s), least of its runs: %.1f µs CPU a report: %+.0f%% of the stages\n", n, t, cpu, gap
      printf "%d %.1f\n", t, gap >> out }'
  done
done
# The median gap on each thread count.
for threads in "$(nproc)" 1; do
  awk -v t="$threads" '$1 == t { print $2 }' "$results" | sort -n | awk -v t="$threads" -v r="$rounds" '
    { gaps[NR] = $1 }
    END { printf "median over %d rounds, batch on %d thread(s): %+.0f%% of the stages\n", r, t, gaps[int((NR + 1) / 2)] }'
done
