import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The page is served under a Content-Security-Policy without 'unsafe-inline':
// no inline scripts (no module preload polyfill) and styles only from files.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true }, '/sim': 'http://127.0.0.1:8080' },
  },
  test: { include: ['src/**/*.test.ts'] },
})
