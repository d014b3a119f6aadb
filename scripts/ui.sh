#!/usr/bin/env bash
# Rebuilds the dashboard: fetches the OpenAPI document from a freshly built
# jutad (simulator mode, the local PostgreSQL), regenerates the typed client
# from it, builds ui/dist and records the build stamp. Commit ui/ afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-$(scripts/db.sh juta_ui)}"
go build -o bin/jutad ./cmd/jutad
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
JUTA_WHATSAPP=sim JUTA_SIM_URL= JUTA_ADDR="127.0.0.1:$port" JUTA_LOG_LEVEL=warn bin/jutad &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/api/openapi.json" -o ui/openapi.json
cd ui
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run gen
npm run build
cd ..
go build -o bin/jutad ./cmd/jutad # now with the new dist
