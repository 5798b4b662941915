import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { CONTENT_SECURITY_POLICY } from './src/security/csp';

// Cross-origin isolation lets workers share memory (SharedArrayBuffer); set in dev and preview alike.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The CSP goes into the built page only: the dev server injects inline scripts (HMR, React refresh) that
 * it would block. A <meta> policy does not reach workers (a worker takes the policy of its script's
 * response), so preview also sends it as a header, as a production server should.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'effectual-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  base: './',
  plugins: [react(), tailwindcss(), contentSecurityPolicy()],
  worker: { format: 'es' },
  server: { headers: isolationHeaders, port: 5173, strictPort: false },
  preview: {
    headers: { ...isolationHeaders, 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
    port: 4173,
    strictPort: true,
  },
  build: { target: 'es2022', sourcemap: true },
});
