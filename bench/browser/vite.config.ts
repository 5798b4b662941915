/**
 * Vite config of the inference benchmark page (bench/browser), separate from the app's. The page is built
 * into a temporary folder and served by `vite preview`; model files, the test images and onnxruntime-web's
 * WebAssembly files come straight from the working tree, so the browser never needs the network.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Connect, Plugin } from 'vite';
import { defineConfig } from 'vite';

const here = import.meta.dirname;
const repo = resolve(here, '../..');

export const BENCH_PAGE_OUT = join(tmpdir(), 'effectual-bench-page');
/** Folder of files written by the benchmark for the page (the derived ternary model); set by bench/inferBrowser.ts. */
export const GENERATED_ENV = 'EFFECTUAL_BENCH_GENERATED';

const TYPES: Record<string, string> = {
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.json': 'application/json',
};

function staticFolders(): Record<string, string> {
  const folders: Record<string, string> = {
    '/models/': join(repo, 'public/models'),
    '/ort/': join(repo, 'node_modules/onnxruntime-web/dist'),
  };
  const generated = process.env[GENERATED_ENV];
  if (generated) folders['/generated/'] = generated;
  return folders;
}

const serveFolders: Connect.NextHandleFunction = (req, res, next) => {
  const path = decodeURIComponent((req.url ?? '').split('?')[0]);
  for (const [prefix, dir] of Object.entries(staticFolders())) {
    if (!path.startsWith(prefix)) continue;
    const file = normalize(join(dir, path.slice(prefix.length)));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) break;
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Cache-Control', 'no-store');
    res.end(readFileSync(file));
    return;
  }
  next();
};

const benchFiles: Plugin = {
  name: 'effectual-bench-files',
  configureServer: (server) => void server.middlewares.use(serveFolders),
  configurePreviewServer: (server) => void server.middlewares.use(serveFolders),
};

export default defineConfig({
  root: here,
  base: './',
  publicDir: false,
  plugins: [benchFiles],
  worker: { format: 'es' },
  build: {
    outDir: BENCH_PAGE_OUT,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // On a loaded machine rolldown reports slow plugins; that is noise in the benchmark's output.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  logLevel: 'warn',
});
