#!/usr/bin/env bash
# Validates nianbao's machine-readable outputs on the sample reports and, when present,
# ../shared/corpus: SARIF against the official SARIF 2.1.0 JSON schema (the one Microsoft's
# SARIF multitool ships on the npm registry; fetched here, not kept in the repo), and the
# JSON of audit and extract against schema/*.schema.json. Python's jsonschema validates.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="${NIANBAO_TOOLS:-$HOME/.cache/nianbao-tools}"
schema="$tools/sarif-multitool/package/sarif-2.1.0.json"
if [ ! -f "$schema" ]; then
  mkdir -p "$tools/sarif-multitool"
  (cd "$tools/sarif-multitool" && npm pack --silent @microsoft/sarif-multitool-linux@5.7.0 >/dev/null \
     && tar xzf microsoft-sarif-multitool-linux-5.7.0.tgz package/sarif-2.1.0.json)
fi
python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install --quiet jsonschema
cargo build --quiet -p nianbao-cli
out="$(mktemp -d)"
inputs=(samples)
[ -d ../shared/corpus ] && inputs+=(../shared/corpus)
for format in sarif json; do
  status=0
  ./target/debug/nianbao audit "${inputs[@]}" tests/fixtures --format "$format" -o "$out/audit.$format" || status=$?
  [ "$status" -le 1 ] || { echo "nianbao audit --format $format failed ($status)"; exit 1; }
done
./target/debug/nianbao extract "${inputs[@]}" tests/fixtures -o "$out/extract.json"
python3 - "$schema" "$out" <<'PY'
import json, sys, jsonschema
sarif_schema, out = sys.argv[1], sys.argv[2]
load = lambda p: json.load(open(p, encoding="utf-8"))
checks = [(sarif_schema, f"{out}/audit.sarif"), ("schema/audit.schema.json", f"{out}/audit.json"),
          ("schema/extract.schema.json", f"{out}/extract.json")]
failed = False
for schema, document in checks:
    errors = list(jsonschema.Draft202012Validator(load(schema)).iter_errors(load(document)))
    for e in errors[:20]:
        print(f"{document}: schema error at /{'/'.join(map(str, e.absolute_path))}: {e.message}")
    failed |= bool(errors)
    print(f"{document.rsplit('/', 1)[1]}: {'INVALID' if errors else 'valid'} against {schema.rsplit('/', 1)[1]}")
sys.exit(1 if failed else 0)
PY
