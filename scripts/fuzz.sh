#!/usr/bin/env bash
# fuzz.sh FUZZTIME: runs every Go fuzz target of the module for FUZZTIME each
# (seed corpora under testdata/fuzz run in plain `go test` too). A count
# ("5000x") rather than a duration: a time-limited run can end with a spurious
# "context deadline exceeded" on a loaded machine.
set -euo pipefail
cd "$(dirname "$0")/.."
dur=${1:-5000x}
export DATABASE_URL="${DATABASE_URL:-$(scripts/db.sh)}"
status=0
while IFS=: read -r file name; do
  pkg="./$(dirname "$file")"
  echo "fuzz $pkg $name ($dur)"
  go test -run='^$' -fuzz="^${name}\$" -fuzztime="$dur" "$pkg" >/tmp/juta-fuzz.$$ 2>&1 || { cat /tmp/juta-fuzz.$$; status=1; }
done < <(grep -rHoE --include='*_test.go' '^func (Fuzz[A-Za-z0-9_]+)' . | sed -E 's/^\.\/([^:]+):func /\1:/')
rm -f /tmp/juta-fuzz.$$
exit $status
