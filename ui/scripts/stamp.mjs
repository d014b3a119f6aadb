// The build stamp: a hash of the dashboard's sources and one of the built
// dist/, written by `npm run build` and checked by `make test-ui`. The check
// fails when a source changed since the last build (dist/ is stale) or dist/
// was changed by hand, without depending on the tool versions that would
// make a rebuild-and-diff flaky.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(fileURLToPath(import.meta.url), '..', '..')
const SOURCES = ['src', 'public', 'index.html', 'package.json', 'package-lock.json', 'vite.config.ts', 'tsconfig.json', 'openapi.json']
const STAMP = join(root, 'dist.stamp')

function files(p) {
  const abs = join(root, p)
  if (!existsSync(abs)) return []
  if (!statSync(abs).isDirectory()) return [p]
  return readdirSync(abs)
    .sort()
    .flatMap((n) => files(join(p, n)))
}

export function hashOf(paths) {
  const h = createHash('sha256')
  for (const f of paths.flatMap(files).filter((f) => !/\.test\.ts$/.test(f)).sort()) {
    h.update(relative(root, join(root, f)).split('\\').join('/') + '\0')
    h.update(readFileSync(join(root, f)))
    h.update('\0')
  }
  return h.digest('hex')
}

const stamp = () => `sources ${hashOf(SOURCES)}\ndist ${hashOf(['dist'])}\n`

const mode = process.argv[2]
if (mode === 'write') {
  writeFileSync(STAMP, stamp())
} else if (mode === 'check') {
  const want = existsSync(STAMP) ? readFileSync(STAMP, 'utf8') : ''
  const got = stamp()
  if (want !== got) {
    console.error('ui/dist is stale or was edited by hand: run `make ui` and commit ui/dist and ui/dist.stamp')
    console.error('recorded:\n' + want + 'now:\n' + got)
    process.exit(1)
  }
  console.log('ui/dist is up to date with its sources')
} else {
  console.error('usage: stamp.mjs write|check')
  process.exit(2)
}
