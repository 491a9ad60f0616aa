#!/usr/bin/env bash
# A release build of the CLI optimised with a profile of its own runs (PGO): for offices
# that audit hundreds of thousands of reports a year. The profile comes from auditing
# reports the layout lab generates (never the files a benchmark then measures); the
# binary reads and finds exactly what `cargo build --release` does.
#   scripts/build-pgo.sh        → target/pgo/use/release/nianbao
# Needs llvm-profdata of the toolchain's LLVM (`rustup component add llvm-tools`, tried
# here when it is missing) and ../shared/gold for the lab.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/pgo
host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
  rustup component add llvm-tools >/dev/null 2>&1 || true
fi
if [ ! -x "$profdata" ]; then
  echo "error: $profdata not found — run: rustup component add llvm-tools" >&2
  exit 1
fi
rm -rf "$out/train" "$out/data"
mkdir -p "$out/train"
# Training inputs: the lab's text, HTML, Markdown and DOCX layouts of the gold reports.
cargo run --release --quiet -p nianbao-lab -- run --variants 3 \
  --family text --family html --family markdown --family docx --keep "$out/train" >/dev/null
echo "training on $(find "$out/train" -type f | wc -l) generated reports"
RUSTFLAGS="-Cprofile-generate=$PWD/$out/data" CARGO_TARGET_DIR="$out/gen" \
  cargo build --release --quiet -p nianbao-cli
"$out/gen/release/nianbao" audit "$out/train" --format json -o "$out/train-audit.json" -q || true
"$out/gen/release/nianbao" extract "$out/train" -o "$out/train-extract.json" >/dev/null || true
"$profdata" merge -o "$out/merged.profdata" "$out/data"
RUSTFLAGS="-Cprofile-use=$PWD/$out/merged.profdata" CARGO_TARGET_DIR="$out/use" \
  cargo build --release --quiet -p nianbao-cli
echo "built $out/use/release/nianbao"
