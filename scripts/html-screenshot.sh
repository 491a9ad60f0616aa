#!/usr/bin/env bash
# Opens nianbao's HTML scorecard in headless Chromium (Debian's package) and takes a
# screenshot: the sample reports, ../shared/corpus when present, and a hostile report whose
# organ and text carry <script> and <img onerror>. Fails if the page ran any of that markup.
#   scripts/html-screenshot.sh [OUT_DIR]      (default: target/html-check)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/html-check}"
mkdir -p "$out"
# Chromium, and a CJK font so that the screenshot shows Chinese rather than boxes.
if ! command -v chromium >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
fi
cargo build --quiet -p nianbao-cli
hostile="$out/hostile"
mkdir -p "$hostile"
# Markup right after figures that give findings, so that it lands in the excerpts shown.
sed -e 's/其他方式公开政府信息数2054条/其他方式公开政府信息数2054条<script>document.body.setAttribute("data-pwned","1")<\/script>/' \
    -e 's/政策解读信息320余条/政策解读信息320余条<img src=x onerror="document.title=\x27pwned\x27">/' \
    samples/002_ebe041415b5440fa.txt > "$hostile/hostile-report.txt"
grep -q '<script>' "$hostile/hostile-report.txt" && grep -q 'onerror' "$hostile/hostile-report.txt"
inputs=(samples "$hostile")
[ -d ../shared/corpus ] && inputs+=(../shared/corpus)
./target/debug/nianbao audit "${inputs[@]}" --format html -o "$out/scorecard.html" || [ $? -eq 1 ]
page="file://$(realpath "$out/scorecard.html")"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)")
chromium "${flags[@]}" --window-size=1280,1400 --screenshot="$(realpath "$out")/scorecard.png" "$page" 2>/dev/null
chromium "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "$page" 2> "$out/console.log" > "$out/dom.html"
grep -q 'class="ranking"' "$out/dom.html" || { echo "no ranking table in the rendered page"; exit 1; }
# nianbao's own script (filter box, sortable columns) must run without errors.
if grep -q "Uncaught" "$out/console.log"; then
  echo "the page's script failed:"; grep "Uncaught" "$out/console.log"; exit 1
fi
if grep -q 'data-pwned="1"' "$out/dom.html" || grep -q '<title>pwned</title>' "$out/dom.html"; then
  echo "report markup was executed"; exit 1
fi
grep -q '&lt;script&gt;document.body.setAttribute' "$out/dom.html" && grep -q '&lt;img src=x onerror=' "$out/dom.html" \
  || { echo "the hostile markup is not shown as text"; exit 1; }
echo "rendered: $out/scorecard.png (ranking present, report markup shown as text, not run)"
