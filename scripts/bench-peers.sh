#!/usr/bin/env bash
# Worst case of the batch rule BATCH.PEER_OVERLAP: N reports (default 5000) that are all
# near-copies of one another — seed 001 with its organ renamed per file and 3% of its Chinese
# characters replaced at random (fixed seed) — audited with and without the rule.
#   scripts/bench-peers.sh [N]        (needs python3 and /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-5000}"
dir="${BENCH_DIR:-target/bench-peers}/$n"
cargo build --release --quiet -p nianbao-cli
if [ ! -d "$dir" ] || [ "$(find "$dir" -type f | wc -l)" -ne "$n" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  python3 - "$n" "$dir" <<'PY'
import random, sys
n, out = int(sys.argv[1]), sys.argv[2]
random.seed(7)
text = open("samples/001_cbbc4f743fd32469.txt", encoding="utf-8").read()
pool = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
for i in range(n):
    chars = list(text.replace("平阴县", f"第{i}县"))
    for k, c in enumerate(chars):
        if "\u4e00" <= c <= "\u9fff" and random.random() < 0.03:
            chars[k] = random.choice(pool)
    open(f"{out}/{i:05d}.txt", "w", encoding="utf-8").write("".join(chars))
PY
fi
config="$(mktemp)"
printf '[rules]\ndisable = ["BATCH.PEER_OVERLAP"]\n' > "$config"
echo "reports: $n near-copies in $dir; cores: $(nproc)"
/usr/bin/time -f "with BATCH.PEER_OVERLAP: %e s wall, %M KB peak RSS" \
  ./target/release/nianbao audit "$dir" --format json -o target/bench-peers.json || true
/usr/bin/time -f "without it:             %e s wall, %M KB peak RSS" \
  ./target/release/nianbao audit "$dir" --format json -o target/bench-peers-off.json --config "$config" || true
python3 - <<'PY'
import json
d = json.load(open("target/bench-peers.json", encoding="utf-8"))
flagged = sum(any(f["rule"] == "BATCH.PEER_OVERLAP" for f in r.get("findings", [])) for r in d["reports"])
identified = sum(1 for r in d["reports"] if r.get("organ") and r.get("year"))
print(f"reports with a peer: {flagged} of {identified} identified ({len(d['reports'])} in all)")
PY
rm -f "$config"
