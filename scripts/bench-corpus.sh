#!/usr/bin/env bash
# Corpus-scale benchmark: builds N reports by replicating real ones (the samples and the
# text/HTML reports of ../shared/corpus), audits them to a JSON file with the release build,
# and compares with the I/O floor `rg -c 总计` over the same files.
#   scripts/bench-corpus.sh [N]        (default 20000; needs /usr/bin/time and ripgrep)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-20000}"
dir="${BENCH_DIR:-target/bench-corpus}/$n"
command -v rg >/dev/null || { apt-get update -qq && apt-get install -y -qq ripgrep >/dev/null; }
cargo build --release --quiet -p nianbao-cli
if [ ! -d "$dir" ] || [ "$(find "$dir" -type f | wc -l)" -ne "$n" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  sources=(samples/*.txt)
  for f in ../shared/corpus/*.txt ../shared/corpus/*.html; do [ -f "$f" ] && sources+=("$f"); done
  i=0
  while [ "$i" -lt "$n" ]; do
    for f in "${sources[@]}"; do
      [ "$i" -ge "$n" ] && break
      sub="$dir/$((i / 1000))"
      mkdir -p "$sub"
      cp "$f" "$sub/$i-$(basename "$f")"
      i=$((i + 1))
    done
  done
fi
size=$(du -sh "$dir" | cut -f1)
echo "reports: $n ($size) in $dir; cores: $(nproc)"
/usr/bin/time -f "nianbao audit --format json: %e s wall, %M KB peak RSS, %P CPU" \
  ./target/release/nianbao audit "$dir" --format json -o target/bench-audit.json || true
/usr/bin/time -f "rg -c 总计 (I/O floor): %e s wall" rg -c 总计 "$dir" > /dev/null
