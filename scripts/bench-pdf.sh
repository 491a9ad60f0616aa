#!/usr/bin/env bash
# A batch of PDFs: the layout lab's PDF family (the gold reports written as PDFs by
# LibreOffice and headless Chromium, two variants each), replicated to N files, audited to
# a JSON file with the release build: wall time, peak RSS, and each stage's time
# (`--timing`). PDFs are where an office's batches spend their time: past the first files
# the first pass keeps parsed, each is read whole twice (once to be identified, once for
# its audit) unless its extraction was set aside.
#   scripts/bench-pdf.sh [N]        (default 3000; needs LibreOffice and Chromium for the lab)
#   NIANBAO=path/to/nianbao scripts/bench-pdf.sh 1000   (another build)
#   FAMILY=ofd scripts/bench-pdf.sh 1000   (the lab's OFD family instead: the same PDFs'
#                                           pages as OFD; needs pdfminer.six)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-3000}"
family="${FAMILY:-pdf}"
dir="${BENCH_DIR:-target/bench-$family}/$n"
bin="${NIANBAO:-target/release/nianbao}"
[ -n "${NIANBAO:-}" ] || cargo build --release --quiet -p nianbao-cli
if [ ! -d "$dir" ] || [ "$(find "$dir" -type f | wc -l)" -ne "$n" ]; then
  pdfs="$(dirname "$dir")/lab"
  if [ ! -d "$pdfs" ]; then
    cargo build --release --quiet -p nianbao-lab
    target/release/nianbao-lab run --family "$family" --variants 2 --keep "$pdfs.tmp" --require-converters
    mv "$pdfs.tmp" "$pdfs"
  fi
  sources=("$pdfs"/*."$family")
  rm -rf "$dir" && mkdir -p "$dir"
  i=0
  while [ "$i" -lt "$n" ]; do
    for f in "${sources[@]}"; do
      [ "$i" -ge "$n" ] && break
      cp "$f" "$dir/$i-$(basename "$f")"
      i=$((i + 1))
    done
  done
fi
echo "reports: $n $family files ($(du -sh "$dir" | cut -f1)) in $dir; cores: $(nproc)"
/usr/bin/time -f "$bin audit --format json: %e s wall, %M KB peak RSS, %P CPU" \
  "$bin" audit "$dir" --format json -o "target/bench-$family-audit.json" --timing -q 2>&1 || true
