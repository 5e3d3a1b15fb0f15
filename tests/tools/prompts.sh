#!/usr/bin/env bash
# Drive salesops's prompts in a real terminal: a private tmux server (its own socket in DIR, never the
# user's) runs each command in a pane, the script types into it with `send-keys` and reads the screen
# with `capture-pane`, as a person would. Run by tests/prompts.rs; by hand:
#
#   bash tests/tools/prompts.sh target/debug/salesops "$(mktemp -d)" [DB]
#
# DB (a file or a postgres:// URL of an empty database) is where the commands write; by default
# DIR/prompts.db.
#
# 1. `customers add` without --area: the 34 provinces in a list filtered by typing two characters (江西),
#    Enter picks it.
# 2. `orders add` without --line: a wrong SKU is said at once and asked again, the corrected line is
#    taken, the summary shows the lines and the total, the yes/no question waits for Enter, the order is
#    saved and read back with `orders show --format json`.
set -euo pipefail

BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
DIR=$2
SOCK="$DIR/tmux.sock"
export LANG=C.UTF-8 LC_ALL=C.UTF-8
export SALESOPS_DB="${3:-$DIR/prompts.db}" SALESOPS_TODAY=2026-03-16
unset SALESOPS_LANG

tm() { tmux -u -S "$SOCK" "$@"; }
cleanup() { tm kill-server 2>/dev/null || true; }
trap cleanup EXIT

fail() {
  echo "prompts.sh: $1" >&2
  echo "--- screen" >&2
  tm capture-pane -p -t p >&2 2>/dev/null || true
  exit 1
}

screen() { tm capture-pane -p -J -t p; }

# Wait (up to 10 s) until the screen shows TEXT.
wait_for() {
  for _ in $(seq 100); do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  fail "waited 10 s for: $1"
}

# Run salesops with ARGS in a fresh pane of a terminal 120 x 40; the pane then shows EXIT=<status>.
run_in_terminal() {
  local cmd
  cmd=$(printf ' %q' "$@")
  tm kill-session -t p 2>/dev/null || true
  tm new-session -d -s p -x 120 -y 40 \
    "env SALESOPS_DB=$(printf %q "$SALESOPS_DB") SALESOPS_TODAY=$SALESOPS_TODAY LANG=C.UTF-8 LC_ALL=C.UTF-8 $(printf %q "$BIN")$cmd; echo EXIT=\$?; sleep 600"
}

# A session that lives as long as the script, so the server does not exit (and restart) between panes.
tm new-session -d -s keep -x 80 -y 10 "sleep 3600"

"$BIN" init >/dev/null
"$BIN" regions add S --name 华南 >/dev/null
"$BIN" regions assign S 广东 江西 >/dev/null
"$BIN" reps add R1 --name 李四 --region 华南 >/dev/null
"$BIN" customers add C1 --name 张三贸易 --area 广东 --owner R1 >/dev/null
"$BIN" products add TEA-01 --name 龙井 --list-price 100 --cost 40 >/dev/null

# 1. A province picked from 34 by typing two characters.
run_in_terminal customers add C9 --name 新客户
wait_for "Area (type to filter)"
wait_for "北京"
tm send-keys -t p -l "江西"
for _ in $(seq 50); do
  if ! screen | grep -qF "北京"; then break; fi
  sleep 0.1
done
screen | grep -qF "北京" && fail "typing 江西 did not filter the list"
wait_for "江西"
tm send-keys -t p Enter
wait_for "EXIT=0"
area=$("$BIN" customers show C9 --format json | grep '"area"')
[[ $area == *'"area": "江西"'* ]] || fail "customer C9's area is $area, not 江西"
echo "ok: 34 provinces filtered by typing 江西, picked: C9 is in 江西"

# 2. An order typed line by line, one wrong SKU (and then a wrong quantity) corrected on the spot.
run_in_terminal orders add --customer 张三贸易
wait_for "Line 1"
tm send-keys -t p -l "NOPE-9:2"
tm send-keys -t p Enter
wait_for 'unknown SKU "NOPE-9"'
screen | grep -qF "EXIT=" && fail "a wrong SKU ended the command"
tm send-keys -t p -l "龙井:0"
tm send-keys -t p Enter
wait_for '"0" is not a quantity above 0'
tm send-keys -t p -l "龙井:3-10%"
tm send-keys -t p Enter
wait_for "Line 2"
tm send-keys -t p Enter
wait_for "Save this order?"
wait_for "1. TEA-01 龙井  3 x 100.00 -10% = 270.00"
wait_for "Total 270.00 (1 line)"
wait_for "No approval needed"
# The question waits for Enter: y alone saves nothing yet.
tm send-keys -t p -l "y"
sleep 0.5
screen | grep -qF "EXIT=" && fail "the yes/no question did not wait for Enter"
tm send-keys -t p Enter
wait_for "EXIT=0"
wait_for "O20260316-001"
shown=$("$BIN" orders show O20260316-001 --format json | tr -d ' \n')
for want in '"customer":"C1"' '"rep":"R1"' '"sku":"TEA-01"' '"quantity":3' '"discount":"10%"' '"amount":"270.00"'; do
  [[ $shown == *"$want"* ]] || fail "orders show O20260316-001 lacks $want: $shown"
done
echo "ok: order O20260316-001 typed with NOPE-9 corrected to 龙井:3-10%, saved: 270.00"

# 3. A discount above the approval threshold is named before saving; answering no saves nothing.
run_in_terminal orders add --customer C1
wait_for "Line 1"
tm send-keys -t p -l "TEA-01:1-20%"
tm send-keys -t p Enter
wait_for "Line 2"
tm send-keys -t p Enter
wait_for "Needs approval (a discount above 10%): line 1 is 20% below the list price 100.00"
tm send-keys -t p -l "n"
tm send-keys -t p Enter
wait_for "EXIT=2"
wait_for "the order was not saved"
orders=$("$BIN" orders list --format csv | tail -n +2 | wc -l)
[[ $orders == 1 ]] || fail "a declined order was saved ($orders orders)"
echo "ok: a 20% discount named as needing approval before saving; declined, nothing saved"
