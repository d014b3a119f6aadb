# Mutations for scripts/mutate.sh, one guarantee each:
#   m NAME FILE ORIGINAL MUTANT 'GO TEST ARGS'
# ORIGINAL must occur exactly once in FILE (single-quoted: bash leaves it as
# written). The test arguments are as narrow as will catch the mutant, so the
# whole list runs in minutes on two cores. Add one for every new guarantee.

# Row-level security and the query filters behind it.
m rls-role persistence/rls.go \
  "const setUserSQL = \`SELECT set_config('role', 'juta_app', true)," \
  "const setUserSQL = \`SELECT set_config('role', current_user, true)," \
  '-run "^TestRLS" ./persistence'
m filter-messages persistence/messages.go \
  'WHERE session_id = $1 AND user_id = $2 AND id < $3' \
  'WHERE session_id = $1 AND $2::bigint > 0 AND id < $3' \
  '-run "^TestQueryFiltersHoldWithoutRLS$" ./persistence'
