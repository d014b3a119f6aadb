#!/usr/bin/env bash
# mutate.sh [REGEX]: mutation testing of the guarantees the tests must hold.
# Each mutation in scripts/mutations.sh breaks one guarantee in one place (a
# literal snippet, which must occur exactly once in its file, replaced by its
# mutant) and names the narrow `go test` arguments that should catch it. The
# script applies one mutation, runs its tests, restores the file byte for
# byte, and goes on; a mutation survives when its tests pass. It prints the
# score and the survivors and exits non-zero when any survived or could not be
# applied. REGEX (or $MUTATE_ONLY) keeps the mutations whose name matches.
#
# Files are restored from a copy taken before the change, on every exit path
# (a failing test, Ctrl-C, a kill), so the tree is left as it was. It is not
# part of `make test`: run it with `make mutate`.
set -uo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-$(scripts/db.sh)}"
GO=${GO:-go}
only=${1:-${MUTATE_ONLY:-}}
log=${MUTATE_LOG:-.local/mutate}
mkdir -p "$log"
backup_dir=$(mktemp -d)
current=""

restore() {
  if [ -n "$current" ] && [ -f "$backup_dir/file" ]; then
    cp -p "$backup_dir/file" "$current"
  fi
  current=""
}
cleanup() {
  restore
  rm -rf "$backup_dir"
}
trap cleanup EXIT
trap 'echo; echo "mutate.sh: interrupted; files restored" >&2; exit 130' INT TERM HUP

total=0
killed=0
survivors=()
broken=()

# occurrences FILE SNIPPET: how many times SNIPPET occurs literally in FILE.
occurrences() {
  SNIP=$2 perl -0777 -ne '$n = () = /\Q$ENV{SNIP}\E/g; print $n' "$1"
}

# m NAME FILE ORIGINAL MUTANT GO-TEST-ARGS: one mutation (see mutations.sh).
m() {
  local name=$1 file=$2 orig=$3 mutant=$4 args=$5
  if [ -n "$only" ] && ! [[ $name =~ $only ]]; then
    return
  fi
  total=$((total + 1))
  local n
  n=$(occurrences "$file" "$orig" 2>/dev/null || echo 0)
  if [ "$n" != 1 ]; then
    echo "BROKEN   $name: the snippet occurs $n times in $file"
    broken+=("$name ($file: snippet occurs $n times)")
    return
  fi
  cp -p "$file" "$backup_dir/file"
  current=$file
  SNIP=$orig MUT=$mutant perl -0777 -pi -e 's/\Q$ENV{SNIP}\E/$ENV{MUT}/' "$file"
  local out="$log/$(printf %s "$name" | tr -c 'A-Za-z0-9_-' '_').log"
  local start=$SECONDS
  # shellcheck disable=SC2086 # args is a list of go test arguments
  (eval "$GO test -count=1 -timeout 10m $args") >"$out" 2>&1
  local rc=$?
  restore
  local took=$((SECONDS - start))
  if [ $rc = 0 ]; then
    echo "SURVIVED $name (${took}s): $GO test $args"
    survivors+=("$name: $file, go test $args")
  elif grep -q -e '\[build failed\]' -e '\[setup failed\]' "$out"; then
    echo "BROKEN   $name (${took}s): the mutant does not compile; see $out"
    broken+=("$name (does not compile)")
  else
    echo "killed   $name (${took}s)"
    killed=$((killed + 1))
  fi
}

# shellcheck source=scripts/mutations.sh
. scripts/mutations.sh

echo
echo "mutation score: $killed of $total killed"
if [ ${#survivors[@]} -gt 0 ]; then
  echo "survivors:"
  printf '  %s\n' "${survivors[@]}"
fi
if [ ${#broken[@]} -gt 0 ]; then
  echo "mutations to fix (not applied or not compiling):"
  printf '  %s\n' "${broken[@]}"
fi
[ ${#survivors[@]} = 0 ] && [ ${#broken[@]} = 0 ]
