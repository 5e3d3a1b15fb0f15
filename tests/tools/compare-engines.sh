#!/usr/bin/env bash
# Compare what salesops answers on the two engines for the same data, byte for byte.
#
#   tests/tools/compare-engines.sh BINARY FILE.db postgres://USER@HOST:PORT/EMPTYDB [TODAY]
#
# Copies FILE.db into the empty PostgreSQL database (db copy --to), then runs every report, export,
# list and check in every format on both, then a regrade (a write) on both and the same reads again,
# and diffs stdout and the exit code of each. Prints one line per difference and the count; exits 1
# when anything differs. The copy in FILE.db is not changed: the writes run on a copy of it.
set -euo pipefail
bin=$1 file=$2 url=$3 today=${4:-2026-11-23}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$file" "$work/a.db"
"$bin" --db "$work/a.db" db copy --to "$url" >/dev/null

# `audit` first: `prices check` below records its findings (a write, with its own time in the audit),
# and the regrade after the reads is another; the audit is compared only before both.
reads=(
  "audit" "report monthly" "report monthly --month 2026-10" "report quarterly" "report quarterly --quarter 2026-Q3"
  "report annual --year 2025" "report period 2026-01..2026-10" "report period last-month"
  "report trend --by region" "report trend --by rep" "report trend --by product" "report trend --by channel"
  "areas list" "regions list" "regions check" "regions export" "reps list" "reps export"
  "customers list" "customers check" "customers export" "products list" "products export"
  "warehouses list" "warehouses export" "stock list" "stock moves" "stock check" "stock export"
  "prices check" "prices violations" "orders list" "orders receivables" "orders export" "payments list"
  "payments export" "service list" "service check" "service kpi" "service export" "targets list"
  "targets check" "targets progress" "targets export" "campaigns list" "campaigns records" "campaigns report"
  "campaigns check" "campaigns export" "carriers list" "carriers report" "carriers check" "carriers export"
  "scorecard" "scorecard --period 2026-Q3" "scorecard --by rep --period 2026-Q3" "scorecard ratings"
  "policy list" "db check"
)
formats=(table json csv md)
differ=0
checked=0
compare() {
  local label=$1; shift
  local a b
  set +e
  a=$("$bin" --today "$today" --db "$work/a.db" "$@" 2>&1; echo "exit $?")
  b=$("$bin" --today "$today" --db "$url" "$@" 2>&1; echo "exit $?")
  set -e
  checked=$((checked + 1))
  if [ "$a" != "$b" ]; then
    differ=$((differ + 1))
    echo "DIFFERS ($label): salesops $*"
    diff <(printf '%s\n' "$a" | sed "s#$work/a.db#DB#g") <(printf '%s\n' "$b" | sed "s#$url#DB#g") | head -"${DIFF_LINES:-6}" || true
  fi
}
run_reads() {
  for r in "${reads[@]}"; do
    # The audit names each write's own command line and time, which differ between the two runs.
    if [ "$1" != before ] && [ "$r" = audit ]; then continue; fi
    for f in "${formats[@]}"; do
      # shellcheck disable=SC2086
      compare "$1" $r --format "$f"
    done
  done
  for r in "report monthly --month 2026-10" "report quarterly --quarter 2026-Q3"; do
    # shellcheck disable=SC2086
    compare "$1" $r --format html
  done
}
run_reads before
# shellcheck disable=SC2086
compare write customers regrade --yes
run_reads "after regrade"
echo "compared $checked outputs: $differ differ"
[ "$differ" -eq 0 ]
