#!/bin/sh
# Install the Debian packages lede needs to build, test, bench and demo
# (chromium and its driver: the browser test of lede serve), when they are
# missing: with apt-get as root, otherwise print the exact
# command and stop. `tools/deps.sh fuzz` adds clang and its libFuzzer
# runtime, which only `make fuzz` needs.
set -eu
PKGS="g++ make pkg-config libxapian-dev xapian-tools libstemmer-dev zlib1g-dev
libcmocka-dev libutf8proc-dev libxml2-dev libjansson-dev libcsv-dev
libjemalloc-dev libsqlite3-dev libmicrohttpd-dev chromium chromium-driver"
if [ "${1:-}" = fuzz ]; then
	PKGS="$PKGS clang-14 libclang-rt-14-dev"
fi
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "lede: installing missing packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >&2
else
	echo "lede: missing Debian packages:$missing" >&2
	echo "run:  sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi
