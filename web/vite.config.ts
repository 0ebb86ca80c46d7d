import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The dashboard: web/ is the Vite root; the server (src/web/dashboard.ts) serves dist/web/client.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist/web/client', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 800,
  },
  worker: { format: 'es' },
  server: {
    // `npx vite web` during development: API calls go to a running `hogi serve`.
    proxy: { '/api': 'http://127.0.0.1:8000' },
  },
});
