#!/usr/bin/env bash
# bench.sh: run the benchmarks behind BENCHMARKS.md and print their figures as
# one markdown table (figure, result, goal, whether it is met, and the command
# that produced it). Progress goes to stderr, raw outputs to $JUTA_BENCH_OUT
# (default .local/bench). Needs DATABASE_URL: `make bench` provides it.
# Benchmarks never fail on a figure; the script exits non-zero only when a
# benchmark itself could not run, and still prints the table.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
: "${DATABASE_URL:?DATABASE_URL is not set (make bench sets it)}"
export DATABASE_URL
GO=${GO:-go}
out=${JUTA_BENCH_OUT:-$root/.local/bench}
mkdir -p "$out"
say() { echo "bench.sh: $*" >&2; }

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_start=$(cut -d' ' -f1 /proc/loadavg)

say "building bin/jutad"
$GO build -o bin/jutad ./cmd/jutad || exit 1

# The memory figure counts this process only: the simulator runs apart.
JUTA_LOG_LEVEL=info bin/jutad sim --addr 127.0.0.1:0 --duplicate-rate 0 2>"$out/sim.log" &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null; wait "$sim_pid" 2>/dev/null' EXIT
sim_addr=""
for _ in $(seq 1 200); do
  sim_addr=$(sed -n 's/.*simulator listening.*addr=\([0-9.]*:[0-9]*\).*/\1/p' "$out/sim.log" | head -1)
  [ -n "$sim_addr" ] && break
  kill -0 "$sim_pid" 2>/dev/null || break
  sleep 0.05
done
if [ -z "$sim_addr" ]; then
  say "the simulator did not start; see $out/sim.log"
  exit 1
fi
say "simulator (pid $sim_pid) on $sim_addr"

failed=0
# run NAME CMD: runs CMD (a string, shown verbatim in the table) into NAME.log.
declare -A cmds
run() {
  local name=$1 cmd=$2
  cmds[$name]=$cmd
  say "$name: $cmd"
  if ! (eval "$cmd") >"$out/$name.log" 2>&1; then
    say "$name FAILED; see $out/$name.log"
    failed=1
  fi
}

B="-run '^\$' -timeout 20m"
run memory "JUTA_BENCH_SIM=$sim_addr $GO test $B -bench '^BenchmarkIdleSessionMemory\$' -benchtime 1x ./actors"
run client "$GO test $B -bench '^BenchmarkClientHeap\$' -benchtime 1000x ./whatsapp"
run cold "$GO test $B -bench '^BenchmarkColdActivation\$' -benchtime 1x ./actors"
run warm "$GO test $B -bench '^BenchmarkWarmStatus\$' -benchtime 20000x ./actors"
run ingest "$GO test $B -bench '^BenchmarkIngest\$' -benchtime 1x ./actors"
run plain "$GO test $B -bench '^BenchmarkPlainBatchInsert\$' -benchtime 2s ./persistence"
run store "$GO test $B -bench '^BenchmarkStoreMessageParallel\$' -benchtime 2s ./persistence"

# metric LOG UNIT: the value reported before UNIT in LOG (one benchmark per
# log; its result line may be split when set-up logs interleave with it).
metric() {
  awk -v u="$2" '{ for (i = 2; i <= NF; i++) if ($i == u && $(i-1) ~ /^[0-9.e+-]+$/) v = $(i-1) } END { print v }' "$out/$1.log"
}
# fmt VALUE DIVISOR DECIMALS SUFFIX, or n/a for a missing value.
fmt() {
  [ -z "$1" ] && { echo "n/a"; return; }
  awk -v v="$1" -v d="$2" -v p="$3" -v s="$4" 'BEGIN { printf "%.*f%s", p, v / d, s }'
}
# met VALUE OP LIMIT: yes/no, or n/a for a missing value or goal.
met() {
  [ -z "$1" ] || [ -z "$3" ] && { echo "—"; return; }
  awk -v v="$1" -v o="$2" -v l="$3" 'BEGIN { ok = (o == "<") ? v < l : v >= l; print ok ? "yes" : "no" }'
}
row() { printf '| %s | %s | %s | %s | `%s` |\n' "$1" "$2" "$3" "$4" "${cmds[$5]}"; }

m_sessions=$(metric memory sessions)
m_users=$(metric memory users)
m_inuse=$(metric memory heap_inuse_B/session)
m_alloc=$(metric memory heap_alloc_B/session)
m_stack=$(metric memory stack_B/session)
m_rss=$(metric memory rss_B/session)
c_heap=$(metric client heap_B/client)
cold_p50=$(metric cold cold_p50_ms)
cold_p99=$(metric cold cold_p99_ms)
cold_n=$(metric cold cold_samples)
cold_orphans=$(metric cold orphan_connections)
warm_p50=$(metric warm status_p50_us)
warm_p99=$(metric warm status_p99_us)
warm_n=$(metric warm status_samples)
in_rate=$(metric ingest burst_msgs/s)
in_batch=$(metric ingest burst_msgs/batch)
in_p50=$(metric ingest paced_p50_ms)
in_p99=$(metric ingest paced_p99_ms)
in_n=$(metric ingest paced_samples)
in_sessions=$(metric ingest sessions)
plain=$(metric plain msgs/s)
store=$(metric store msgs/s)
ratio=""
[ -n "$in_rate" ] && [ -n "$plain" ] && ratio=$(awk -v a="$in_rate" -v b="$plain" 'BEGIN { print a / b }')
per_user=""
[ -n "$m_sessions" ] && [ -n "$m_users" ] && per_user=$(awk -v s="$m_sessions" -v u="$m_users" 'BEGIN { printf "%d users x %d", u, s / u }')
kib=51200

echo "Juta benchmarks, $started, $(nproc) cores, load average ${load_start} at start and $(cut -d' ' -f1 /proc/loadavg) at end"
echo
echo "| Figure | Result | Goal | Met | Command |"
echo "|---|---|---|---|---|"
row "Heap in use per linked, connected, idle session (HeapInuse delta after GC; $(fmt "$m_sessions" 1 0 "") sessions, ${per_user:-?}; simulator in another process)" \
  "$(fmt "$m_inuse" 1024 1 ' KiB')" "< 50 KiB" "$(met "$m_inuse" '<' $kib)" memory
row "Live heap per session (HeapAlloc delta after GC; same run)" \
  "$(fmt "$m_alloc" 1024 1 ' KiB')" "< 50 KiB" "$(met "$m_alloc" '<' $kib)" memory
row "Goroutine stacks per session (StackInuse delta; same run; not in the heap figures)" \
  "$(fmt "$m_stack" 1024 1 ' KiB')" "—" "—" memory
row "RSS per session (VmRSS delta after GC and returning free pages; same run)" \
  "$(fmt "$m_rss" 1024 1 ' KiB')" "< 50 KiB" "$(met "$m_rss" '<' $kib)" memory
row "Heap of one unconnected whatsmeow client with its device loaded (1,000 clients)" \
  "$(fmt "$c_heap" 1024 1 ' KiB')" "—" "—" client
row "Cold activation p50 (passivated user, 1 linked session: load from Postgres, reconnect, connected event; $(fmt "$cold_n" 1 0 "") users; $(fmt "$cold_orphans" 1 0 "") orphan connections seen)" \
  "$(fmt "$cold_p50" 1 2 ' ms')" "—" "—" cold
row "Cold activation p99 (same run)" "$(fmt "$cold_p99" 1 2 ' ms')" "< 10 ms" "$(met "$cold_p99" '<' 10)" cold
row "Status routed to a warm user actor p50 ($(fmt "$warm_n" 1 0 "") sequential requests over 100 users)" \
  "$(fmt "$warm_p50" 1 1 ' µs')" "—" "—" warm
row "Status routed to a warm user actor p99 (same run)" "$(fmt "$warm_p99" 1 1 ' µs')" "< 100 µs" "$(met "$warm_p99" '<' 100)" warm
row "Ingest sustained rate, simulator -> Postgres -> subscriber ($(fmt "$in_sessions" 1 0 "") sessions receiving concurrently, burst; $(fmt "$in_batch" 1 0 "") msgs/commit)" \
  "$(fmt "$in_rate" 1 0 ' msg/s')" ">= 5,000 msg/s" "$(met "$in_rate" '>=' 5000)" ingest
row "Ingest latency p50, phone send -> event at subscriber, paced 1,000 msg/s ($(fmt "$in_n" 1 0 "") messages; same run)" \
  "$(fmt "$in_p50" 1 2 ' ms')" "—" "—" ingest
row "Ingest latency p99 (same paced run)" "$(fmt "$in_p99" 1 2 ' ms')" "—" "—" ingest
row "Plain batched INSERT into messages (batches of 128, no events, no dedupe; same server)" \
  "$(fmt "$plain" 1 0 ' msg/s')" "— (floor)" "—" plain
row "StoreMessage group commit alone (128 parallel callers; same run)" "$(fmt "$store" 1 0 ' msg/s')" "—" "—" store
row "Ratio: ingest sustained rate / plain batched INSERT" "$(fmt "$ratio" 1 2 '')" "—" "—" ingest
[ "$failed" = 0 ] || say "some benchmarks failed; their figures read n/a (logs in $out)"
exit "$failed"
