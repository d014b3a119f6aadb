#!/usr/bin/env bash
# bench.sh: run the benchmarks behind BENCHMARKS.md and print their figures as
# one markdown table (figure, result, goal, whether it is met, and the command
# that produced it). Progress goes to stderr, raw outputs to $JUTA_BENCH_OUT
# (default .local/bench). Needs DATABASE_URL: `make bench` provides it.
# JUTA_BENCH_ONLY="NAME ..." runs only the named benchmarks (the names given
# to run below, e.g. "crossnode clusteringest failkill failload failstop placement");
# the other rows read n/a.
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

# need CMD PACKAGE ROWS: installs Debian's PACKAGE when CMD is missing (it
# needs root or sudo); without it, ROWS read n/a.
need() {
  command -v "$1" >/dev/null && return
  say "installing $2"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if ! ($sudo apt-get update -qq && $sudo apt-get install -y -qq "$2") >"$out/$2-install.log" 2>&1; then
    say "could not install $2 (see $out/$2-install.log); the $3 rows read n/a"
  fi
}
need wrk wrk REST        # drives the REST benchmark
need etcd etcd-server failover # the failover and placement benchmarks run JUTA_CLUSTER=etcd

failed=0
# run NAME CMD: runs CMD (a string, shown verbatim in the table) into NAME.log.
declare -A cmds
run() {
  local name=$1 cmd=$2
  cmds[$name]=$cmd
  if [ -n "${JUTA_BENCH_ONLY:-}" ] && [[ " $JUTA_BENCH_ONLY " != *" $name "* ]]; then
    rm -f "$out/$name.log" # no figure of an earlier run
    return
  fi
  say "$name: $cmd"
  if ! (eval "$cmd") >"$out/$name.log" 2>&1; then
    say "$name FAILED; see $out/$name.log"
    failed=1
  fi
}

B="-run '^\$' -timeout 20m"
run memory "JUTA_BENCH_SIM=$sim_addr $GO test $B -bench '^BenchmarkIdleSessionMemory\$' -benchtime 1x ./actors"
run alwayson "JUTA_BENCH_SIM=$sim_addr $GO test $B -bench '^BenchmarkAlwaysOnIdleSessionMemory\$' -benchtime 1x ./actors"
run client "$GO test $B -bench '^BenchmarkClientHeap\$' -benchtime 1000x ./whatsapp"
run cold "$GO test $B -bench '^BenchmarkColdActivation\$' -benchtime 1x ./actors"
run warm "$GO test $B -bench '^BenchmarkWarmStatus\$' -benchtime 20000x ./actors"
run ingest "$GO test $B -bench '^BenchmarkIngest\$' -benchtime 1x ./actors"
run rules "$GO test $B -bench '^BenchmarkRules\$' -benchtime 20000x ./ai"
run ingestmedia "$GO test $B -bench '^BenchmarkIngestMedia\$' -benchtime 1x ./actors"
run plain "$GO test $B -bench '^BenchmarkPlainBatchInsert\$' -benchtime 2s ./persistence"
run store "$GO test $B -bench '^BenchmarkStoreMessageParallel\$' -benchtime 2s ./persistence"
run storemedia "$GO test $B -bench '^BenchmarkStoreMessageMedia\$' -benchtime 2s ./persistence"
run blobpg "$GO test $B -bench '^BenchmarkBlobReadPostgres\$' -benchtime 3s ./persistence"
run blobs3 "$GO test $B -bench '^BenchmarkBlobReadS3\$' -benchtime 3s ./blob/s3"
run bloblarge "$GO test $B -bench '^BenchmarkBlobLargePostgres\$' -benchtime 1x ./persistence"
run remux "$GO test $B -bench '^BenchmarkRemux\$' -benchmem ./whatsapp/opus"
run chunked "$GO test $B -bench '^BenchmarkChunkedUploadPostgres\$' -benchtime 1x ./persistence"
run sendlarge "$GO test $B -bench '^BenchmarkSendLargeDocument\$' -benchtime 1x ./actors"
run rest "$GO test $B -bench '^BenchmarkAPIWrk\$' -benchtime 1x ./cmd/jutad"
run fanout "$GO test $B -bench '^BenchmarkWSFanout\$' -benchtime 1x ./cmd/jutad"
run heal "$GO test $B -bench '^BenchmarkHealAfterOutage\$' -benchtime 1x ./cmd/jutad"
run crossnode "$GO test $B -bench '^BenchmarkClusterCrossNodeRequest\$' -benchtime 1x ./cmd/jutad"
run clusteringest "$GO test $B -bench '^BenchmarkClusterIngest\$' -benchtime 1x ./cmd/jutad"
run failkill "$GO test -tags cluster $B -bench '^BenchmarkClusterFailoverKill\$' -benchtime 1x ./cmd/jutad"
run failload "$GO test -tags cluster $B -bench '^BenchmarkClusterFailoverKillUnderLoad\$' -benchtime 1x ./cmd/jutad"
run failstop "$GO test -tags cluster $B -bench '^BenchmarkClusterFailoverStop\$' -benchtime 1x ./cmd/jutad"
run placement "$GO test -tags cluster $B -bench '^BenchmarkClusterPlacement\$' -benchtime 1x ./cmd/jutad"

# metric LOG UNIT: the value reported before UNIT in LOG (one benchmark per
# log; its result line may be split when set-up logs interleave with it).
metric() {
  [ -f "$out/$1.log" ] || return 0
  awk -v u="$2" '{ for (i = 2; i <= NF; i++) if ($i == u && $(i-1) ~ /^[0-9.e+-]+$/) v = $(i-1) } END { print v }' "$out/$1.log"
}
# fmt VALUE DIVISOR DECIMALS SUFFIX, or n/a for a missing value.
fmt() {
  [ -z "$1" ] && { echo "n/a"; return; }
  awk -v v="$1" -v d="$2" -v p="$3" -v s="$4" 'BEGIN { printf "%.*f%s", p, v / d, s }'
}
# met VALUE OP LIMIT (OP: <, <= or >=): yes/no, or n/a for a missing value or goal.
met() {
  [ -z "$1" ] || [ -z "$3" ] && { echo "—"; return; }
  awk -v v="$1" -v o="$2" -v l="$3" 'BEGIN { ok = (o == "<") ? v < l : (o == "<=") ? v <= l : v >= l; print ok ? "yes" : "no" }'
}
row() { printf '| %s | %s | %s | %s | `%s` |\n' "$1" "$2" "$3" "$4" "${cmds[$5]}"; }

# rest_rows: the wrk figures of GET /api/status and GET /api/sessions/{id}/messages.
rest_rows() {
  local conns oconns threads secs target msgs t name rate p50 p99 fails orate op50 op99 ofails scpu dcpu
  conns=$(metric rest paced_connections)
  oconns=$(metric rest open_connections)
  threads=$(metric rest wrk_threads)
  secs=$(metric rest paced_seconds)
  target=$(metric rest paced_target_req/s)
  msgs=$(metric rest stored_messages)
  for t in status messages; do
    name='GET /api/status (1 user, 1 linked session)'
    [ "$t" = messages ] && name="GET /api/sessions/{id}/messages (first page of $(fmt "$msgs" 1 0 "") stored messages)"
    rate=$(metric rest "${t}_paced_req/s")
    p50=$(metric rest "${t}_paced_p50_ms")
    p99=$(metric rest "${t}_paced_p99_ms")
    fails=$(metric rest "${t}_paced_failures")
    orate=$(metric rest "${t}_open_req/s")
    op50=$(metric rest "${t}_open_p50_ms")
    op99=$(metric rest "${t}_open_p99_ms")
    ofails=$(metric rest "${t}_open_failures")
    scpu=$(metric rest "${t}_open_server_cpu_us/req")
    dcpu=$(metric rest "${t}_open_db_cpu_us/req")
    row "$name, wrk paced at $(fmt "$target" 1 0 "") req/s by a Lua schedule ($(fmt "$conns" 1 0 "") connections, $(fmt "$threads" 1 0 "") threads, $(fmt "$secs" 1 0 "") s; $(fmt "$fails" 1 0 "") errors or non-2xx): rate reached" \
      "$(fmt "$rate" 1 0 ' req/s')" ">= 1,980 req/s (99% of the pace)" "$(met "$rate" '>=' 1980)" rest
    row "$name, same paced run: latency p50 (wrk's, from the request's write; no coordinated-omission correction)" "$(fmt "$p50" 1 2 ' ms')" "—" "—" rest
    row "$name, same paced run: latency p99" "$(fmt "$p99" 1 2 ' ms')" "< 5 ms" "$(met "$p99" '<' 5)" rest
    row "$name, wrk unpaced with $(fmt "$oconns" 1 0 "") connections ($(fmt "$secs" 2 0 "") s; $(fmt "$ofails" 1 0 "") errors or non-2xx): rate reached, p50 / p99 at that load" \
      "$(fmt "$orate" 1 0 ' req/s'), $(fmt "$op50" 1 2 ' ms') / $(fmt "$op99" 1 2 ' ms')" "—" "—" rest
    row "$name, same unpaced run: CPU time per request of the jutad process / of PostgreSQL (every process of its server; /proc, 10 ms ticks; holds on a busy machine where rates do not)" \
      "$(fmt "$scpu" 1 0 ' µs') / $(fmt "$dcpu" 1 0 ' µs')" "—" "—" rest
  done
}

# fanout_rows: the WebSocket fan-out figures.
fanout_rows() {
  local sockets users burst rate who
  sockets=$(metric fanout sockets)
  users=$(metric fanout users)
  burst=$(metric fanout burst_msgs)
  rate=$(metric fanout paced_msgs/s)
  who="$(fmt "$sockets" 1 0 "") WebSockets on one jutad, $(fmt "$users" 1 0 "") users with 1 linked session and $(fmt "$sockets" "${users:-1}" 0 "") sockets each"
  row "WebSocket fan-out, burst: message events received per second across all sockets ($who; $(fmt "$burst" 1 0 "") messages from $(fmt "$(metric fanout phones)" 1 0 "") simulator phones as fast as it takes them; first send to last receipt; $(fmt "$(metric fanout burst_missing_events)" 1 0 "") events missing)" \
    "$(fmt "$(metric fanout burst_events/s)" 1 0 ' events/s')" "—" "—" fanout
  row "Fan-out burst: the ingest rate behind it (messages stored and delivered per second; the phones sent at $(fmt "$(metric fanout burst_send_msgs/s)" 1 0 ' msg/s'))" \
    "$(fmt "$(metric fanout burst_msgs/s)" 1 0 ' msg/s')" "—" "—" fanout
  row "Fan-out burst: delay from the event's createdAt (Postgres now(), start of the storing transaction) to receipt, p50 / p99" \
    "$(fmt "$(metric fanout burst_fanout_p50_ms)" 1 1 ' ms') / $(fmt "$(metric fanout burst_fanout_p99_ms)" 1 1 ' ms')" "—" "—" fanout
  row "Fan-out burst: phone send to receipt p99 (includes the ingest backlog)" \
    "$(fmt "$(metric fanout burst_e2e_p99_ms)" 1 0 ' ms')" "—" "—" fanout
  row "Fan-out paced: target $(fmt "$(metric fanout paced_target_msgs/s)" 1 0 "") msg/s, reached $(fmt "$rate" 1 0 "") msg/s, for $(fmt "$(metric fanout paced_seconds)" 1 0 " s") (x $(fmt "$sockets" "${users:-1}" 0 "") sockets = events/s received; $(fmt "$(metric fanout paced_missing_events)" 1 0 "") events missing)" \
    "$(fmt "$(metric fanout paced_events/s)" 1 0 ' events/s')" "—" "—" fanout
  row "Fan-out paced: delay from the event's createdAt to receipt, p50" "$(fmt "$(metric fanout paced_fanout_p50_ms)" 1 2 ' ms')" "—" "—" fanout
  row "Fan-out paced: delay from the event's createdAt to receipt, p99" "$(fmt "$(metric fanout paced_fanout_p99_ms)" 1 2 ' ms')" "—" "—" fanout
  row "Fan-out paced: phone send to receipt (simulator, ingest, Postgres commit, fan-out), p50 / p99" \
    "$(fmt "$(metric fanout paced_e2e_p50_ms)" 1 1 ' ms') / $(fmt "$(metric fanout paced_e2e_p99_ms)" 1 1 ' ms')" "—" "—" fanout
}

# cluster_rows: failover, placement and ingest in cluster mode.
cluster_rows() {
  local k kind sig what ci_a ci_c ci_r
  for k in failkill failstop; do
    kind=kill sig="SIGKILL of one node"
    [ "$k" = failstop ] && kind=stop sig="SIGSTOP of one node for 2x the TTL (then SIGCONT)"
    what="Cluster mode (3 nodes, JUTA_CLUSTER=etcd, lease TTL $(fmt "$(metric $k lease_ttl_s)" 1 0 ' s'), $(fmt "$(metric $k users)" 1 0 "") linked users, no message load): $sig, time until each of its $(fmt "$(metric $k moved_sessions)" 1 0 "") sessions is connected on a survivor ($(fmt "$(metric $k missed_sessions)" 1 0 "") not within 2 min), p50 / p99"
    row "$what; its leases had $(fmt "$(metric $k lease_left_s)" 1 2 ' s') left at the signal (renewed every TTL/3), the rest is the takeover" \
      "$(fmt "$(metric $k ${kind}_p50_s)" 1 2 ' s') / $(fmt "$(metric $k ${kind}_p99_s)" 1 2 ' s')" "—" "—" $k
  done
  what="Cluster mode as above, SIGKILL of one node while contacts send $(fmt "$(metric failload load_msgs/s)" 1 0 ' msg/s') to the users in turn (from 2 s before the signal to 2 s after the last move): time until each of its $(fmt "$(metric failload moved_sessions)" 1 0 "") sessions is connected on a survivor ($(fmt "$(metric failload missed_sessions)" 1 0 "") not within 2 min), p50 / p99"
  row "$what; $(fmt "$(metric failload sent_msgs)" 1 0 "") messages sent, $(fmt "$(metric failload stored_msgs)" 1 0 "") stored, $(fmt "$(metric failload duplicate_or_eventless_msgs)" 1 0 "") stored twice or without their event" \
    "$(fmt "$(metric failload kill_p50_s)" 1 2 ' s') / $(fmt "$(metric failload kill_p99_s)" 1 2 ' s')" "—" "—" failload
  row "Cluster mode placement ($(fmt "$(metric placement users)" 1 0 "") linked users, JUTA_CLUSTER=etcd): largest node load / mean, three nodes steady" \
    "$(fmt "$(metric placement three_max_over_mean)" 1 2 '')" "<= 1.3" "$(met "$(metric placement three_max_over_mean)" '<=' 1.3)" placement
  row "Same run, after a fourth node joins (it took $(fmt "$(metric placement fourth_node_users)" 1 0 "") users; $(fmt "$(metric placement moved_sessions)" 1 0 "") sessions moved; loads last changed $(fmt "$(metric placement settle_s)" 1 1 ' s') after it was ready)" \
    "$(fmt "$(metric placement four_max_over_mean)" 1 2 '')" "<= 1.3" "$(met "$(metric placement four_max_over_mean)" '<=' 1.3)" placement
  ci_a=$(metric clusteringest alone_msgs/s)
  ci_c=$(metric clusteringest cluster_msgs/s)
  ci_r=$(metric clusteringest cluster_over_alone)
  what="$(fmt "$(metric clusteringest users)" 1 0 "") linked users with a WebSocket each, $(fmt "$(metric clusteringest burst_msgs)" 1 0 "") messages from $(fmt "$(metric clusteringest phones)" 1 0 "") simulator phones as fast as it takes them, stored and delivered as events; $(fmt "$(metric clusteringest rounds)" 1 0 "") rounds per mode, order alternating, fresh database each; $(fmt "$(metric clusteringest missing_events)" 1 0 "") events missing"
  row "Ingest of one jutad alone ($what)" "$(fmt "$ci_a" 1 0 ' msg/s')" "—" "—" clusteringest
  row "Same run, one jutad with JUTA_CLUSTER=postgres (leases, fenced writes; $(fmt "$(metric clusteringest cluster_leased_users)" 1 0 "") users under a live lease after the burst)" "$(fmt "$ci_c" 1 0 ' msg/s')" "—" "—" clusteringest
  row "Ratio: ingest in cluster mode / alone" "$(fmt "$ci_r" 1 2 '')" ">= 0.80" "$(met "$ci_r" '>=' 0.8)" clusteringest
}

m_sessions=$(metric memory sessions)
m_users=$(metric memory users)
m_inuse=$(metric memory heap_inuse_B/session)
m_alloc=$(metric memory heap_alloc_B/session)
m_stack=$(metric memory stack_B/session)
m_rss=$(metric memory rss_B/session)
a_sessions=$(metric alwayson sessions)
a_inuse=$(metric alwayson heap_inuse_B/session)
a_rss=$(metric alwayson rss_B/session)
c_heap=$(metric client heap_B/client)
cold_p50=$(metric cold cold_p50_ms)
cold_p99=$(metric cold cold_p99_ms)
cold_n=$(metric cold cold_samples)
cold_orphans=$(metric cold orphan_connections)
warm_p50=$(metric warm status_p50_us)
warm_p99=$(metric warm status_p99_us)
warm_n=$(metric warm status_samples)
in_rate=$(metric ingest burst_msgs/s)
in_media=$(metric ingestmedia burst_msgs/s)
in_media_ratio=""
[ -n "$in_media" ] && [ -n "$in_rate" ] && in_media_ratio=$(awk -v a="$in_media" -v b="$in_rate" 'BEGIN { print a / b }')
in_batch=$(metric ingest burst_msgs/batch)
in_p50=$(metric ingest paced_p50_ms)
in_p99=$(metric ingest paced_p99_ms)
in_n=$(metric ingest paced_samples)
in_target=$(metric ingest paced_target_msgs/s)
in_reached=$(metric ingest paced_msgs/s)
in_senders=$(metric ingest burst_senders)
in_sessions=$(metric ingest sessions)
plain=$(metric plain msgs/s)
store=$(metric store msgs/s)
store_callers=$(metric store callers)
store_media=$(metric storemedia msgs/s)
media_ratio=""
[ -n "$store_media" ] && [ -n "$store" ] && media_ratio=$(awk -v a="$store_media" -v b="$store" 'BEGIN { print a / b }')
plain_rows=$(metric plain batch_rows)
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
row "Heap in use per always-on session of an idle, resting user (HeapInuse delta after GC; $(fmt "$a_sessions" 1 0 "") sessions, 1 per user, idle timeout 2 s; simulator in another process)" \
  "$(fmt "$a_inuse" 1024 1 ' KiB')" "< 50 KiB" "$(met "$a_inuse" '<' $kib)" alwayson
row "RSS per always-on idle session (VmRSS delta after GC and returning free pages; same run)" \
  "$(fmt "$a_rss" 1024 1 ' KiB')" "< 50 KiB" "$(met "$a_rss" '<' $kib)" alwayson
row "Heap of one unconnected whatsmeow client with its device loaded (1,000 clients)" \
  "$(fmt "$c_heap" 1024 1 ' KiB')" "—" "—" client
row "Cold activation p50 (passivated user, 1 linked session: load from Postgres, reconnect, connected event; $(fmt "$cold_n" 1 0 "") users; $(fmt "$cold_orphans" 1 0 "") orphan connections seen)" \
  "$(fmt "$cold_p50" 1 2 ' ms')" "—" "—" cold
row "Cold activation p99 (same run)" "$(fmt "$cold_p99" 1 2 ' ms')" "< 10 ms" "$(met "$cold_p99" '<' 10)" cold
row "Status routed to a warm user actor p50 ($(fmt "$warm_n" 1 0 "") sequential requests over 100 users)" \
  "$(fmt "$warm_p50" 1 1 ' µs')" "—" "—" warm
row "Status routed to a warm user actor p99 (same run)" "$(fmt "$warm_p99" 1 1 ' µs')" "< 100 µs" "$(met "$warm_p99" '<' 100)" warm
row "Rules detector, one Detect call over a mix of $(fmt "$(metric rules chat_messages)" 1 0 "") chat lines (English, Malay, mixed; no database): messages per second, one goroutine" \
  "$(fmt "$(metric rules msgs/s)" 1 0 ' msg/s')" "—" "—" rules
row "Rules detector latency p99 per message (same run; $(fmt "$(metric rules allocs/op)" 1 0 "") allocations per message)" \
  "$(fmt "$(metric rules p99_µs)" 1 1 ' µs')" "< 200 µs" "$(met "$(metric rules p99_µs)" '<' 200)" rules
row "Ingest sustained rate, simulator -> Postgres -> subscriber ($(fmt "$in_sessions" 1 0 "") sessions receiving concurrently, burst from $(fmt "$in_senders" 1 0 "") senders; $(fmt "$in_batch" 1 0 "") msgs/commit)" \
  "$(fmt "$in_rate" 1 0 ' msg/s')" ">= 5,000 msg/s" "$(met "$in_rate" '>=' 5000)" ingest
row "Ingest latency p50, phone send -> event at subscriber, paced at $(fmt "$in_target" 1 0 "") msg/s, reached $(fmt "$in_reached" 1 0 "") msg/s ($(fmt "$in_n" 1 0 "") messages; same run)" \
  "$(fmt "$in_p50" 1 2 ' ms')" "—" "—" ingest
row "Ingest latency p99 (same paced run)" "$(fmt "$in_p99" 1 2 ' ms')" "—" "—" ingest
row "Plain batched INSERT into messages (batches of $(fmt "$plain_rows" 1 0 ""), no events, no dedupe; same server)" \
  "$(fmt "$plain" 1 0 ' msg/s')" "— (floor)" "—" plain
row "StoreMessage group commit alone ($(fmt "$store_callers" 1 0 "") parallel callers; same run)" "$(fmt "$store" 1 0 ' msg/s')" "—" "—" store
row "StoreMessage group commit with 20% media messages (photo metadata, caption, media reference, push name; same callers)" \
  "$(fmt "$store_media" 1 0 ' msg/s')" "—" "—" storemedia
row "Ratio: 20% media / text only (group commit)" "$(fmt "$media_ratio" 1 2 '')" ">= 0.80" "$(met "$media_ratio" '>=' 0.8)" storemedia
row "Ingest sustained rate with 20% media messages (every fifth a photo with real bytes at the simulator; same sessions and burst)" \
  "$(fmt "$in_media" 1 0 ' msg/s')" "—" "—" ingestmedia
row "Ratio: ingest with 20% media / text only (sustained rates of the two runs)" "$(fmt "$in_media_ratio" 1 2 '')" ">= 0.80" "$(met "$in_media_ratio" '>=' 0.8)" ingestmedia
for st in pg s3; do
  what="PostgreSQL (bytea row, key, AES-GCM)"
  [ "$st" = s3 ] && what="S3 (gofakes3 in memory in the same process, over loopback HTTP; AES-GCM)"
  row "Media download throughput from the $what store: one 1 MiB file read whole by $(nproc) parallel readers" \
    "$(fmt "$(metric "blob$st" MB/s)" 1 1 ' MB/s'), $(fmt "$(metric "blob$st" files_read/s)" 1 0 ' files/s')" "—" "—" "blob$st"
done
row "Heap growth while one 200 MiB document streams into the PostgreSQL store / back out of it whole (sampled every 8 MiB)" \
  "$(fmt "$(metric bloblarge write_heap_MiB)" 1 1 ' MiB') / $(fmt "$(metric bloblarge read_heap_MiB)" 1 1 ' MiB')" "flat (< 32 MiB)" "$(met "$(metric bloblarge read_heap_MiB)" '<' 32)" bloblarge
# remux_of LENGTH UNIT: a figure of BenchmarkRemux's sub-benchmark for that recording length.
remux_of() { awk -v b="BenchmarkRemux/$1-" -v u="$2" 'index($1, b) == 1 { for (i = 2; i <= NF; i++) if ($i == u) v = $(i-1) } END { print v }' "$out/remux.log"; }
r1=$(remux_of 1min B/op)
r10=$(remux_of 10min B/op)
row "Voice note remux (WebM Opus to Ogg Opus, streamed): bytes allocated per remux of a 1-minute / 10-minute recording, and the 10-minute one's time" \
  "$(fmt "$r1" 1024 1 ' KiB') / $(fmt "$r10" 1024 1 ' KiB'), $(fmt "$(remux_of 10min ns/op)" 1000000 1 ' ms')" "flat (the 10-minute one < 2x)" \
  "$([ -n "$r1" ] && [ -n "$r10" ] && met "$r10" '<' "$((r1 * 2))" || echo —)" remux
row "Heap growth while one 200 MiB document is uploaded in 4 MiB parts (each sealed into PostgreSQL as it comes) / sealed from its parts into the media store (sampled every part / 8 MiB)" \
  "$(fmt "$(metric chunked parts_heap_MiB)" 1 1 ' MiB') / $(fmt "$(metric chunked seal_heap_MiB)" 1 1 ' MiB')" "flat (< 64 MiB, not the file)" "$(met "$(metric chunked seal_heap_MiB)" '<' 64)" chunked
row "Heap growth while one 200 MiB document is sent: read from the PostgreSQL store by the session's send path and streamed to the client (sampled every 8 MiB)" \
  "$(fmt "$(metric sendlarge send_heap_MiB)" 1 1 ' MiB')" "flat (< 32 MiB)" "$(met "$(metric sendlarge send_heap_MiB)" '<' 32)" sendlarge
row "Ratio: ingest sustained rate / plain batched INSERT" "$(fmt "$ratio" 1 2 '')" "—" "—" ingest
heal_n=$(metric heal sessions)
for o in 5 60; do
  hp50=$(metric heal "heal${o}s_p50_s")
  hp99=$(metric heal "heal${o}s_p99_s")
  row "Time to heal after PostgreSQL is down ${o} s (fault end -> last message sent during the outage stored; $(fmt "$heal_n" 1 0 "") linked sessions under a trickle), p50 / p99 over sessions" \
    "$(fmt "$hp50" 1 2 ' s') / $(fmt "$hp99" 1 2 ' s')" "< 10 s" "$(met "$hp99" '<' 10)" heal
done
rest_rows
fanout_rows
x_n=$(metric crossnode samples)
row "Cluster mode (2 nodes, JUTA_CLUSTER=postgres): GET /api/sessions/{id} on the node not holding the user, forwarded over protoactor remote, p50 / p99 ($(fmt "$x_n" 1 0 "") sequential requests)" \
  "$(fmt "$(metric crossnode cross_p50_ms)" 1 2 ' ms') / $(fmt "$(metric crossnode cross_p99_ms)" 1 2 ' ms')" "p99 < 5 ms" "$(met "$(metric crossnode cross_p99_ms)" '<' 5)" crossnode
row "Same run, on the node holding the user, p50 / p99" \
  "$(fmt "$(metric crossnode local_p50_ms)" 1 2 ' ms') / $(fmt "$(metric crossnode local_p99_ms)" 1 2 ' ms')" "—" "—" crossnode
cluster_rows
[ "$failed" = 0 ] || say "some benchmarks failed; their figures read n/a (logs in $out)"
exit "$failed"
