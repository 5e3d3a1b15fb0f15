#!/usr/bin/env bash
# The monthly report job, for cron: last month's report as one HTML file plus every section as CSV,
# written into a dated folder:
#
#   reports/YYYY-MM/report.html
#   reports/YYYY-MM/summary.csv, regions.csv, reps.csv, products.csv, channels.csv, tiers.csv,
#                   receivables.csv, violations.csv
#   reports/YYYY-MM/overdue.csv: the collection list as of the month's last day (every order past due
#                   then, oldest first, with customer, phone, rep, days past due and balance)
#
# Environment:
#   SALESOPS_DB     the database (required)
#   SALESOPS_TODAY  the date to treat as today (optional: rerun an old month with SALESOPS_TODAY=2026-11-23)
#   SALESOPS_BIN    the salesops binary (default: salesops on PATH)
#   REPORTS_DIR     where the dated folders go (default: ./reports)
#   SALESOPS_LANG   zh for Chinese headings in the HTML (CSV never changes with the language)
#
# Every file is written with --output (a temporary file renamed into place), so a reader never sees
# half a file. Nothing ever prompts: standard input is /dev/null. The script stops at the first
# failure and exits with salesops' own exit code (1 runtime, 2 usage, 3 bad data).
set -euo pipefail
exec </dev/null

: "${SALESOPS_DB:?set SALESOPS_DB to the database file}"
export SALESOPS_DB
bin=${SALESOPS_BIN:-salesops}
root=${REPORTS_DIR:-reports}

# "Last month" is computed once, from SALESOPS_TODAY when set, and passed to every call, so all the
# files of one run are for the same month even if the run crosses midnight.
today=${SALESOPS_TODAY:-$(date +%F)}
month=$(date -d "${today:0:7}-01 -1 month" +%Y-%m)
dir="$root/$month"
mkdir -p "$dir"

"$bin" report monthly --month "$month" --format html --output "$dir/report.html"
for section in summary regions reps products channels tiers receivables violations; do
  "$bin" report monthly --month "$month" --format csv --section "$section" --bom \
    --output "$dir/$section.csv"
done
end=$(date -d "$month-01 +1 month -1 day" +%F)
"$bin" orders receivables --overdue --today "$end" --format csv --bom --output "$dir/overdue.csv"
echo "salesops: report for $month written to $dir"
