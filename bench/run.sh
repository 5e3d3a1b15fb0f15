#!/usr/bin/env bash
# The salesops benchmark: generates a company with N order lines (default 1,000,000 and 10,000,000) in
# two shapes, `tidy` (lines at list price) and `market` (prices spread around list, 40% discounted, a
# unit cost on every line, 5,000 customers and 2,000 SKUs), imports each, and measures the commands that
# must stay fast as data grows, side by side with the sqlite3 shell's .import of the same file. Prints
# one Markdown table. A benchmark, never run by CI.
#
#   bash bench/run.sh                         # 1M and 10M lines, both shapes
#   bash bench/run.sh 1000000                 # only 1M
#   SHAPES=market bash bench/run.sh 1000000   # one shape
#   BENCH_DIR=/data/bench bash bench/run.sh
#   CHECK_MAX=1000000 bash bench/run.sh       # no `db check` above 1M lines
#   ENGINE=postgres PG_URL=postgres://postgres@127.0.0.1:5432/postgres bash bench/run.sh 1000000
#
# ENGINE=postgres measures the same rows on a PostgreSQL server: PG_URL names a database on it as a
# user who may create databases; for each shape and size the script creates its own database
# `${PG_DB_PREFIX:-salesops_bench}_SHAPE_N` (dropping one of that name left by an earlier run), and
# drops it at the end. The import's reference is then `psql \copy` of the same file into an untyped
# table of that database (what the server itself takes for plain rows), instead of sqlite3's .import.
# Peak memory is salesops's own; the server's processes are not counted.
#
# The binaries are those of CARGO_TARGET_DIR when it is set (else target/).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
dir=${BENCH_DIR:-/tmp/salesops-bench}
mkdir -p "$dir"

engine=${ENGINE:-sqlite}
case $engine in
  sqlite) ;;
  postgres) [ -n "${PG_URL:-}" ] || { echo "bench: ENGINE=postgres needs PG_URL (postgres://USER@HOST:PORT/DBNAME)" >&2; exit 2; } ;;
  *) echo "bench: ENGINE is sqlite or postgres, not \"$engine\"" >&2; exit 2 ;;
esac

need() { command -v "$1" >/dev/null 2>&1; }
if ! need hyperfine || ! need sqlite3 || [ ! -x /usr/bin/time ] || { [ "$engine" = postgres ] && ! need psql; }; then
  echo "bench: installing hyperfine, sqlite3, time and psql from Debian's packages" >&2
  apt-get update -qq >/dev/null && apt-get install -y -qq hyperfine sqlite3 time postgresql-client >/dev/null
fi

# PG_URL with its database name replaced by $1 (a query string is kept).
pg_url_of() {
  python3 - "$PG_URL" "$1" <<'PY'
import sys
url, name = sys.argv[1], sys.argv[2]
base, _, query = url.partition("?")
scheme, _, rest = base.partition("://")
host = rest.split("/", 1)[0]
print(f"{scheme}://{host}/{name}" + (f"?{query}" if query else ""))
PY
}
pg_dbs=()
drop_pg_dbs() {
  for name in "${pg_dbs[@]}"; do psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true; done
}
[ "$engine" = sqlite ] || trap drop_pg_dbs EXIT

cargo build --release --quiet
cargo build --release --quiet --example gen
tgt=${CARGO_TARGET_DIR:-$PWD/target}
bin=$tgt/release/salesops
gen=$tgt/release/examples/gen

# hyperfine's mean in milliseconds for one command.
mean_ms() {
  local json="$dir/hf.json"
  hyperfine -i --style none --warmup 1 --runs "${RUNS:-10}" --export-json "$json" "$1" >/dev/null 2>&1
  python3 -c "import json,sys; print('%.1f' % (json.load(open(sys.argv[1]))['results'][0]['mean']*1000))" "$json"
}

# "elapsed_seconds max_rss_kb" of one run.
timed() {
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >/dev/null 2>"$dir/stderr.txt" || { cat "$dir/stderr.txt" >&2; exit 1; }
  cat "$dir/time.txt"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "salesops $(git rev-parse --short HEAD 2>/dev/null || echo '?'), sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
if [ "$engine" = postgres ]; then
  echo "engine: PostgreSQL $(psql -XAtq "$PG_URL" -c 'SHOW server_version'), shared_buffers $(psql -XAtq "$PG_URL" -c 'SHOW shared_buffers'), synchronous_commit $(psql -XAtq "$PG_URL" -c 'SHOW synchronous_commit')"
fi
echo
read -r -a shapes <<< "${SHAPES:-tidy market}"
printf '| lines | shape | measure | salesops | reference | note |\n|---:|---|---|---:|---:|---|\n'
for shape in "${shapes[@]}"; do
for n in "${sizes[@]}"; do
  data="$dir/data-$shape-$n"
  [ -f "$data/orders.csv" ] || "$gen" --lines "$n" --seed 1 --shape "$shape" --out "$data" 2>/dev/null
  if [ "$engine" = postgres ]; then
    pg_name="${PG_DB_PREFIX:-salesops_bench}_${shape}_$n"
    pg_dbs+=("$pg_name")
    psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $pg_name WITH (FORCE)" >/dev/null
    psql -q "$PG_URL" -c "CREATE DATABASE $pg_name" >/dev/null
    db=$(pg_url_of "$pg_name")
  else
    db="$dir/bench-$shape-$n.db"
    rm -f "$db" "$db-wal" "$db-shm"
  fi
  rm -f "$dir/ref.db"
  export SALESOPS_DB=$db SALESOPS_TODAY=2026-11-23
  "$bin" init >/dev/null
  for f in regions reps regions products customers; do "$bin" "$f" import "$data/$f.csv" >/dev/null 2>&1; done
  # A warehouse per region, open before the first order, stocked with every SKU: each order's
  # shipment is then a stock move, and the report has its stock section.
  python3 - "$data" <<'PY'
import csv, sys
d = sys.argv[1]
regions = [r["code"] for r in csv.DictReader(open(f"{d}/regions.csv", encoding="utf-8"))]
skus = [r["sku"] for r in csv.DictReader(open(f"{d}/products.csv", encoding="utf-8"))]
with open(f"{d}/warehouses.csv", "w", encoding="utf-8") as w:
    w.write("code,name,serves,opened\n")
    for r in regions:
        w.write(f"WH-{r},{r} 仓,{r},2023-11-01\n")
with open(f"{d}/stock_moves.csv", "w", encoding="utf-8") as w:
    w.write("date,warehouse,sku,quantity,kind,reference,note\n")
    for r in regions:
        for s in skus:
            w.write(f"2023-11-01,WH-{r},{s},2000000,receive,OPENING,\n")
PY
  "$bin" warehouses import "$data/warehouses.csv" >/dev/null 2>&1
  "$bin" stock import "$data/stock_moves.csv" >/dev/null 2>&1

  read -r secs rss < <(timed "$bin" orders import "$data/orders.csv")
  if [ "$engine" = postgres ]; then
    # The reference: the server's own COPY of the same rows into an untyped table, no index.
    cols=$(head -1 "$data/orders.csv" | tr -d '\r' | sed 's/,/ text, /g; s/$/ text/')
    psql -q "$db" -c "DROP TABLE IF EXISTS bench_ref_lines; CREATE TABLE bench_ref_lines ($cols)" >/dev/null
    read -r ref_secs ref_rss < <(timed psql -q "$db" -c "\\copy bench_ref_lines FROM '$data/orders.csv' WITH (FORMAT csv, HEADER true)")
    psql -q "$db" -c "DROP TABLE bench_ref_lines" >/dev/null
    ref_name="psql \\copy"
  else
    read -r ref_secs ref_rss < <(timed sqlite3 "$dir/ref.db" -cmd ".mode csv" ".import $data/orders.csv lines")
    ref_name="sqlite3 .import"
  fi
  rate=$(python3 -c "print(round($n / $secs))")
  ref_rate=$(python3 -c "print(round($n / $ref_secs))")
  ratio=$(python3 -c "print('%.2f' % ($rate / $ref_rate))")
  printf '| %s | %s | orders import, rows/s | %s | %s | %s; ratio %s; %.1f s vs %.1f s |\n' "$n" "$shape" "$rate" "$ref_rate" "$ref_name" "$ratio" "$secs" "$ref_secs"
  printf '| %s | %s | orders import, peak memory | %s MB | %s MB | /usr/bin/time -v max RSS |\n' "$n" "$shape" "$((rss / 1024))" "$((ref_rss / 1024))"
  rm -f "$dir/ref.db"

  "$bin" payments import "$data/payments.csv" >/dev/null 2>&1
  "$bin" targets set --region EAST --period 2026 --revenue 900000000 >/dev/null
  "$bin" targets split --region EAST --year 2026 --yes >/dev/null 2>&1
  # `db check` recomputes every rollup from every line (minutes at 10M lines): CHECK_MAX=1000000
  # leaves it out above that size.
  check_secs="not run"
  if [ "${CHECK_MAX:-100000000}" -ge "$n" ]; then read -r check_secs _ < <(timed "$bin" db check); fi

  printf '| %s | %s | report monthly (2026-10), ms | %s | | json to /dev/null; stock section included |\n' "$n" "$shape" "$(mean_ms "$bin report monthly --month 2026-10 --format json")"
  printf '| %s | %s | stock list, ms | %s | | every warehouse and SKU |\n' "$n" "$shape" "$(mean_ms "$bin stock list --format json")"
  printf '| %s | %s | report quarterly (2026-Q3), ms | %s | | json |\n' "$n" "$shape" "$(mean_ms "$bin report quarterly --quarter 2026-Q3 --format json")"
  printf '| %s | %s | report annual (2025), ms | %s | | json |\n' "$n" "$shape" "$(RUNS=5 mean_ms "$bin report annual --year 2025 --format json")"
  printf '| %s | %s | report trend, 36 months by region, ms | %s | | |\n' "$n" "$shape" "$(mean_ms "$bin report trend --period 2023-11..2026-10 --group region --format json")"
  printf '| %s | %s | targets progress (2026-10), ms | %s | | |\n' "$n" "$shape" "$(mean_ms "$bin targets progress --period 2026-10 --format json")"
  printf '| %s | %s | prices check (2026-10), ms | %s | | --no-record |\n' "$n" "$shape" "$(RUNS=3 mean_ms "$bin prices check --period 2026-10 --no-record --format json")"
  printf '| %s | %s | regions list, ms | %s | | a small command: open, one query, table |\n' "$n" "$shape" "$(mean_ms "$bin regions list")"
  printf '| %s | %s | salesops --version, ms | %s | | |\n' "$n" "$shape" "$(mean_ms "$bin --version")"
  printf '| %s | %s | db check (every rollup recomputed), s | %s | | one run |\n' "$n" "$shape" "$check_secs"
  if [ "$engine" = postgres ]; then
    psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $pg_name WITH (FORCE)" >/dev/null
  fi
done
done
