#!/usr/bin/env bash
# Instructions a report, by stage, counted by callgrind: a yardstick that does not move
# with the machine (this one's speed moves by half from hour to hour, which hides changes
# of a few per cent). Audits the first N reports of the bench corpus on one worker thread
# under valgrind and prints each stage's instructions divided by N.
#   scripts/count-instructions.sh [N]      (default 300; needs valgrind; about a minute)
#   NIANBAO=path/to/nianbao scripts/count-instructions.sh 300   (another build, with symbols)
#   REPORTS=target/lab-corpus scripts/count-instructions.sh     (other reports: the lab's, say)
# The counts include the start (rules and regexes compiled, about 0.3 M a report at 300)
# and the regexes' lazy DFAs building their states on first use (about 0.07 M a report at
# 300: the same states, ~4,800, at 5,000 reports), and vary by a few M in all with what the
# warm-up thread happens to do first.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-300}"
. scripts/profiling-setup.sh
profiling_prepare valgrind valgrind count-instructions "$n"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$out" \
  "$bin" audit "$dir" --format json -o target/count-instructions/audit.json -q 2>/dev/null || true
callgrind_annotate --inclusive=yes "$out" 2>/dev/null | awk -v n="$n" '
  function max(a, b) { return a > b ? a : b }
  /PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
  # The function table: "count (share) file:function [object]".
  /^ *[0-9,]+ +\([ 0-9.]+%\) +[^ =]+:nianbao_/ {
    # A function inlined elsewhere is listed again under other files: its own entry is
    # the largest.
    count = $1; gsub(",", "", count); count += 0
    if ($0 ~ /identify_all::\{\{closure\}\}::\{\{closure\}\}( |$)/) first = max(first, count)
    # Reading and parsing: a file read, then its stages of parsing (the batch runs
    # each stage over a chunk of files), less the parse of a made-up report at start.
    else if ($0 ~ /nianbao_cli::read_document( |$)/) read = max(read, count)
    else if ($0 ~ /nianbao_parse::Parsing::begin( |$)/) begin = max(begin, count)
    else if ($0 ~ /nianbao_parse::Parsing::read_grid_tables( |$)/) grids = max(grids, count)
    else if ($0 ~ /nianbao_parse::Parsing::read_text_tables( |$)/) texts = max(texts, count)
    else if ($0 ~ /nianbao_parse::Parsing::finish( |$)/) finish = max(finish, count)
    else if ($0 ~ /nianbao_parse::warm_up( |$)/) warm = max(warm, count)
    # With LTO check_reports is inlined into its caller; its closure (all of it) is not.
    else if ($0 ~ /nianbao_cli::check_reports(::\{\{closure\}\})?( |$)/) rules = max(rules, count)
    else if ($0 ~ /nianbao_parse::identity::read_candidates( |$)/) identity = max(identity, count)
  }
  END {
    parse = read + begin + grids + texts + finish - warm
    printf "%d reports, instructions a report (M):\n", n
    printf "  %-34s %6.3f\n", "all", total / n / 1e6
    printf "  %-34s %6.3f\n", "first pass (identity, sketch)", first / n / 1e6
    printf "  %-34s %6.3f\n", "reading and parsing", parse / n / 1e6
    printf "  %-34s %6.3f\n", "rules, plugins, score", rules / n / 1e6
    printf "  %-34s %6.3f\n", "the rest (start, output)", (total - first - parse - rules) / n / 1e6
    printf "  %-34s %6.3f\n", "identity (in both passes)", identity / n / 1e6
  }'
