#!/usr/bin/env bash
# The test suite on PostgreSQL: starts a throwaway server with pg.sh in a temporary folder, runs
# `cargo test ARGS…` with SALESOPS_TEST_PG set to its admin URL (every test gets a database of its own
# there; tests about the SQLite file itself say they are skipped), and stops the server and removes its
# folder on the way out, whether the tests passed, failed or were interrupted.
#
#   bash tests/tools/pg-test.sh                      # the whole suite
#   bash tests/tools/pg-test.sh --test orders        # one test file; any cargo test arguments
#
# With a server of your own instead: SALESOPS_TEST_PG=postgres://USER@HOST:PORT/postgres cargo test
# (the user must be allowed to create databases).
set -euo pipefail
cd "$(dirname "$0")/../.."

dir=$(mktemp -d "${TMPDIR:-/tmp}/salesops-pg.XXXXXX")
stop_server() {
  bash tests/tools/pg.sh stop "$dir" 2>/dev/null || rm -rf "$dir"
}
trap stop_server EXIT
trap 'exit 130' INT TERM

url=$(bash tests/tools/pg.sh start "$dir")
echo "pg-test: cargo test on $url" >&2
SALESOPS_TEST_PG=$url cargo test "$@"
