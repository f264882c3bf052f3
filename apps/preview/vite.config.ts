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
  // Each path as `{ target }`, without `changeOrigin`: the proxy then passes the browser's Host
  // (127.0.0.1:5173) on, which the server allows as loopback and compares with the page's Origin on
  // requests that change state. The string shorthand turns `changeOrigin` on: the Host would name
  // the server's port, and every such request would get 403.
  server: {
    host: '127.0.0.1',
    proxy: Object.fromEntries(
      ['/api', '/metrics', '/slack', '/hooks', '/console'].map((path) => [path, { target: server }]),
    ),
  },
});
