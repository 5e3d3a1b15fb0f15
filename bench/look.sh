#!/bin/sh
# A look before each release: render the demo's reports (monthly in English and Chinese, quarterly,
# annual) to HTML, PNG and PDF with headless Chromium, for a person to open and read.
#
#   bench/look.sh [OUT_DIR]          (default: target/look)
#
# Needs a built salesops (cargo build --release, or SALESOPS=path/to/salesops) and chromium
# (Debian: apt-get install chromium fonts-noto-cjk). The demo's day is pinned, so two runs draw the
# same pages.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/look}
target=${CARGO_TARGET_DIR:-$root/target}
salesops=${SALESOPS:-}
if [ -z "$salesops" ]; then
    for f in "$target/release/salesops" "$target/debug/salesops"; do
        if [ -x "$f" ]; then salesops=$f; break; fi
    done
fi
[ -n "$salesops" ] || { echo "look.sh: build salesops first (cargo build --release)" >&2; exit 1; }
chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$chromium" ] || { echo "look.sh: install chromium (apt-get install -y chromium fonts-noto-cjk)" >&2; exit 1; }

mkdir -p "$out"
export SALESOPS_TODAY=2026-11-23
rm -f "$out/demo.db"
"$salesops" demo --db "$out/demo.db" --yes >/dev/null

render() { # NAME, then the report arguments
    name=$1; shift
    "$salesops" report "$@" --format html --db "$out/demo.db" --output "$out/$name.html"
    profile=$(mktemp -d)
    # --no-sandbox: Chromium refuses to run as root without it (containers, CI).
    flags="--headless --no-sandbox --disable-gpu --disable-background-networking \
--disable-component-update --no-first-run --hide-scrollbars --user-data-dir=$profile"
    # shellcheck disable=SC2086
    "$chromium" $flags --window-size=1150,2600 --screenshot="$out/$name.png" "file://$out/$name.html" 2>/dev/null
    # shellcheck disable=SC2086
    "$chromium" $flags --no-pdf-header-footer --print-to-pdf="$out/$name.pdf" "file://$out/$name.html" 2>/dev/null
    rm -rf "$profile"
    echo "$out/$name.png  $out/$name.pdf"
}

render monthly-en monthly --lang en
render monthly-zh monthly --lang zh
render quarterly-en quarterly --lang en
render annual-en annual --lang en
