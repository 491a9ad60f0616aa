#!/usr/bin/env bash
# Where the batch's time goes, sampled (perf, the cpu-clock event: no hardware counters are
# needed): each stage's share and each kind of work's (regex search, allocation, …), and
# who asks for the regex searches. count-instructions.sh counts instructions, which do not
# move with the machine but miss what cache misses cost; this shows time, cache misses
# included (regex searches: 7% of the instructions, 17% of the time).
#   scripts/profile-time.sh [N]      (default 1000 reports of the bench corpus, one thread)
#   NIANBAO=path/to/nianbao scripts/profile-time.sh   (another build, with symbols)
#   REPORTS=target/lab-corpus scripts/profile-time.sh  (other reports: the lab's, say)
# Shares move by a point or two from run to run; compare builds by count-instructions.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"
. scripts/profiling-setup.sh
profiling_prepare perf linux-perf profile-time "$n"
data=$(mktemp)
trap 'rm -f "$data"' EXIT
RAYON_NUM_THREADS=1 perf record -q -e cpu-clock -F 999 --call-graph dwarf,32768 -o "$data" \
  "$bin" audit "$dir" --format json -o target/profile-time/audit.json -q 2>/dev/null || true
perf script -i "$data" -F ip,sym 2>/dev/null | python3 -c '
import re, sys
from collections import Counter

STAGES = [  # the outermost of these frames names the stage
    ("first pass (identity, sketch)", "nianbao_cli::batch::identif"),
    ("reading and parsing", "nianbao_cli::read_document"),
    ("reading and parsing", "nianbao_parse::Parsing::"),
    ("reading and parsing", "nianbao_cli::accepted"),
    ("rules, plugins, score", "nianbao_cli::check_reports"),
    ("start (rules, regexes, warm-up)", "nianbao_cli::load_rules"),
    ("start (rules, regexes, warm-up)", "nianbao_parse::warm_up"),
    ("output", "nianbao_scorecard::"),
]
KINDS = [  # the leaf frame names the kind of work
    ("regex search", r"^regex"),
    ("aho-corasick, memchr", r"aho_corasick|memchr|Teddy"),
    ("allocation", r"^_?mi_|malloc|^free|realloc|__rust_(alloc|dealloc|realloc)"),
    ("memcpy, memset, memcmp", r"^__mem|^mem(cpy|move|set|cmp)"),
]

def samples(lines):
    stack = []
    for line in lines:
        line = line.strip()
        if not line:
            if stack:
                yield stack
            stack = []
            continue
        address, _, symbol = line.partition(" ")
        symbol = symbol.removesuffix(" (inlined)")
        stack.append(("kernel " if address.startswith("ffffffff") else "") + symbol)
    if stack:
        yield stack

def stage_of(stack):
    for frame in reversed(stack):
        for name, prefix in STAGES:
            if frame.startswith(prefix):
                return name
    return "other (threads, files, pairing)"

def kind_of(leaf):
    if leaf.startswith("kernel "):
        return "kernel (page faults, reads)"
    for name, pattern in KINDS:
        if re.search(pattern, leaf):
            return name
    return "the rest (our code, std)"

def asker(stack):
    """The innermost nianbao function on the stack (inlined ones keep their short name)."""
    return next((re.sub(r"::\{\{closure\}\}.*", "", f) for f in stack if f.startswith("nianbao_")), "?")

stages, kinds, regex_askers = Counter(), Counter(), Counter()
total = 0
for stack in samples(sys.stdin):
    total += 1
    stages[stage_of(stack)] += 1
    kind = kind_of(stack[0])
    kinds[kind] += 1
    if kind == "regex search":
        regex_askers[asker(stack)] += 1
if not total:
    sys.exit("no samples (is perf allowed here? see /proc/sys/kernel/perf_event_paranoid)")
for title, counts, top in [("stage", stages, 8), ("kind of work", kinds, 8),
                           ("regex searches asked by", regex_askers, 10)]:
    print(f"{title} ({total} samples):")
    for key, count in counts.most_common(top):
        print(f"  {100 * count / total:5.1f}%  {key}")
'
