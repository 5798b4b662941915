/**
 * Part 2 (browser side): builds bench/browser with its own vite config, serves it with `vite preview`, and
 * lets headless chromium time our engine against onnxruntime-web (WASM, one thread each) in one page load.
 */
import { resolve } from 'node:path';
import { build, preview } from 'vite';
import type { PageOptions, PageResult } from './browser/main';
import { GENERATED_ENV } from './browser/vite.config';
import { chromiumMissing, launchChromium } from './chromium';
import type { ModelVariant } from './models';

const CONFIG = resolve(import.meta.dirname, 'browser/vite.config.ts');
const PAGE_TIMEOUT_MS = 15 * 60_000;

export interface BrowserInferenceOptions {
  variants: ModelVariant[];
  generatedDir: string;
  batch: number;
  rounds: number;
  threads: number;
  port: number;
  log: (line: string) => void;
}

export async function benchBrowserInference(o: BrowserInferenceOptions): Promise<PageResult> {
  const missing = chromiumMissing();
  if (missing) throw new Error(missing);
  process.env[GENERATED_ENV] = o.generatedDir;
  o.log('  building the benchmark page (bench/browser/vite.config.ts)');
  await build({ configFile: CONFIG, logLevel: 'warn' });
  const server = await preview({
    configFile: CONFIG,
    logLevel: 'warn',
    preview: { port: o.port, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  const browser = await launchChromium();
  try {
    if (!url) throw new Error('vite preview did not report a local URL');
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(url);
    await page.waitForFunction(() => typeof window.effectualBench === 'function', undefined, {
      timeout: 60_000,
    });
    o.log(
      `  chromium ${browser.version()}: timing ${o.variants.map((v) => v.id).join(', ')} (batch ${o.batch}, ${o.rounds} rounds)`,
    );
    const options: PageOptions = {
      models: o.variants.map((v) => ({ id: v.id, url: v.url })),
      datasetUrl: 'models/fmnist-test.bin',
      batch: o.batch,
      rounds: o.rounds,
      threads: o.threads,
    };
    page.setDefaultTimeout(0);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(
        () => fail(new Error(`the benchmark page did not finish within ${PAGE_TIMEOUT_MS / 1000} s`)),
        PAGE_TIMEOUT_MS,
      );
    });
    const result = await Promise.race([
      page.evaluate((opts) => window.effectualBench!(opts), options),
      timeout,
    ]).finally(() => clearTimeout(timer));
    for (const m of result.models)
      if (m.error && errors.length) m.error += ` (page: ${errors.slice(0, 3).join(' | ')})`;
    return result;
  } finally {
    await browser.close();
    await new Promise<void>((done) => server.httpServer.close(() => done()));
  }
}
