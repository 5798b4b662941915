import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

// Cross-origin isolation lets workers share memory (SharedArrayBuffer); set in dev and preview alike.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Content-Security-Policy of the built app: no 'unsafe-eval', no inline scripts (every script is a file of
 * this origin). 'wasm-unsafe-eval' lets the inference engine compile its hand-written WebAssembly kernels
 * (src/sim/infer/wasm); it allows WebAssembly compilation only, not eval or new Function. Styles set from
 * script (React `style` props, D3) go through the CSSOM, which CSP does not restrict, so style-src needs no
 * 'unsafe-inline'. Images take data: and blob: for the PNG/SVG exports. `frame-ancestors` is left out:
 * browsers ignore it, with a console error, in a <meta> policy.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

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
