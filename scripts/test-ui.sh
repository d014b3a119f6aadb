#!/usr/bin/env bash
# The dashboard's tests: ui/dist must match its sources (build stamp), the
# component tests (Vitest), then the browser tests in Debian's Chromium
# against a real jutad in simulator mode on the local PostgreSQL.
# Screenshots and figures go to ui/e2e/artifacts/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
	apt-get update -qq && apt-get install -y -qq chromium
fi
export DATABASE_URL="${DATABASE_URL:-$(scripts/db.sh juta_ui)}"
go build -o bin/jutad ./cmd/jutad
cd ui
npm ci --no-audit --no-fund
npm run check-stale
npx vitest run
JUTAD="$PWD/../bin/jutad" npx vitest run --config e2e/vitest.config.ts
