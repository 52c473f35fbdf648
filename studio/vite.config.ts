import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Where `pnpm start` serves the Recoup API during development. */
const api = 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/graphql': { target: api, changeOrigin: true },
      '/health': { target: api, changeOrigin: true },
      '/exports': { target: api, changeOrigin: true },
    },
  },
});
