#!/bin/sh
# The screenshots of docs/serve.md: lede serve on the bundled sample (and
# the searcher tests' archive), photographed by headless Chromium at a
# laptop's and a phone's width. Usage: sh tools/screenshots.sh [OUTDIR]
# (default docs/). Needs chromium (tools/deps.sh); pngquant, when
# installed, makes the files about a third as large.
set -eu
LEDE=${LEDE_BIN:-build/lede}
OUT=${1:-docs}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lede-shots-XXXXXX")
server=
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
"$LEDE" index -q -d "$tmp/db" corpus/sample tests/data/search/archive.jsonl
"$LEDE" serve -d "$tmp/db" --port 0 > "$tmp/serve.out" &
server=$!
port=
for _ in $(seq 100); do
	port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.out")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { echo "screenshots: lede serve did not start" >&2; exit 1; }
# shot NAME WIDTHxHEIGHT PATH: one page, as root in a closed network
shot() {
	chromium --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --no-proxy-server \
		--disable-extensions --disable-breakpad --disable-crash-reporter \
		--hide-scrollbars --user-data-dir="$tmp/chromium" \
		--window-size="$2" --screenshot="$OUT/$1" \
		"http://127.0.0.1:$port$3" > /dev/null 2>&1
	if command -v pngquant > /dev/null; then
		pngquant --force --skip-if-larger --output "$OUT/$1" 64 "$OUT/$1" || true
	fi
	echo "$OUT/$1: $(wc -c < "$OUT/$1") bytes"
}
shot serve-search.png 1100,820 '/?q=sanctuary'
shot serve-article-phone.png 390,844 '/article?id=s01&q=sanctuary'
shot serve-bad-query.png 900,420 '/?q=sanctuary%20AND%20(ice%20OR'
