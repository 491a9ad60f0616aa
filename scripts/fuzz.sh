#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/, each for SECONDS (default 600 = the 10 minutes the
# reliability bar asks for), seeded with the real reports. Not run by CI: run it by hand
# before a release, or after changing ingest, parse or the rule-pack loader.
#
#   bash scripts/fuzz.sh                 # every target, 10 minutes each (~1 hour)
#   bash scripts/fuzz.sh 60 ingest_pdf   # one target, one minute
#
# A crash or hang leaves its input in fuzz/artifacts/TARGET/; turn it into a case of
# tests/hostile.rs (the regression suite) before fixing it. Needs cargo-fuzz (installed here
# if missing) and a nightly compiler or, on stable, RUSTC_BOOTSTRAP=1 (set below).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(ingest_text ingest_html ingest_pdf ingest_docx parse_and_check rule_pack)
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# cargo-fuzz passes unstable flags; stable rustc accepts them with this (no nightly needed).
if ! rustc --version | grep -q nightly; then export RUSTC_BOOTSTRAP=1; fi

shared=../shared
seed_corpus() {
  local target="$1" dir="fuzz/corpus/$1"
  mkdir -p "$dir"
  case "$target" in
    ingest_text|parse_and_check) cp -n "$shared"/seeds/*.txt "$shared"/corpus/*.txt "$dir"/ 2>/dev/null || true ;;
    ingest_html) cp -n "$shared"/corpus/*.html "$dir"/ 2>/dev/null || true ;;
    ingest_pdf) cp -n "$shared"/corpus/*.pdf tests/fixtures/*.pdf "$dir"/ 2>/dev/null || true ;;
    ingest_docx) cp -n tests/fixtures/*.docx "$dir"/ ;;
    rule_pack) cp -n rules/*.toml "$dir"/ ;;
  esac
}

failed=()
for target in "${targets[@]}"; do
  seed_corpus "$target"
  echo "== $target: ${seconds}s"
  # -timeout: one input taking over 10 s is a hang; -report_slow_units: over 2 s is kept as
  # a slow-unit-* artifact (a report is audited in about 1 ms); -rss_limit_mb: a leak or bomb.
  mkdir -p "fuzz/artifacts/$target"
  before=$(ls "fuzz/artifacts/$target" | wc -l)
  if ! cargo fuzz run --sanitizer none --release "$target" -- \
      -max_total_time="$seconds" -timeout=10 -report_slow_units=2 -rss_limit_mb=2048 \
      -print_final_stats=1; then
    failed+=("$target")
  elif [ "$(ls "fuzz/artifacts/$target" | wc -l)" -gt "$before" ]; then
    failed+=("$target (slow input)")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
echo "all targets ran ${seconds}s without a crash or hang"
