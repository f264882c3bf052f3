import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const server = process.env.PREVIEW_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('./src/web', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
  },
  // `vite` (dev) serves the UI with hot reload; the API stays on the preview server. Proxying every
  // server path matters: vite answers unknown paths with index.html and a 200 otherwise.
  server: {
    host: '127.0.0.1',
    proxy: { '/api': server, '/metrics': server, '/slack': server, '/hooks': server },
  },
});
