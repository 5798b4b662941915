/**
 * Part 3: interactivity of the production build of the app in headless chromium: quantisation change ->
 * updated network overview (ResNet-20), PE-grid animation frame times at 32x32 PEs, and the longest
 * main-thread task while the worker runs a full simulation. Every measurement that cannot run (no build, a
 * selector the app does not have yet) is reported as skipped with the reason instead of failing the bench.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { encodeLink } from '../src/ui/state/hash';
import { defaultLinkState } from '../src/ui/state/linkState';
import { PARAM_CATALOG } from '../src/ui/state/catalog';
import { loadOnnxModel } from '../src/sim/model';
import { chromiumMissing, launchChromium } from './chromium';
import { startCpuTrace, type ThreadCpu } from './cpuTrace';
import { median, percentile } from './stats';
import {
  INSTALL_PROBES,
  LONG_TASKS,
  OVERVIEW_READY,
  OVERVIEW_RESULT,
  TOTALS_TEXT,
  WATCH_OVERVIEW,
  playAndSampleFrames,
  sampleIdleFrames,
} from './uiPage';

const REPO = resolve(import.meta.dirname, '..');
const VITE_BIN = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
/**
 * The production build goes to its own folder so that a `vite preview` of dist/ someone else is running (the
 * browser tests) is never rebuilt under its feet.
 */
export const APP_BUILD_DIR = join(tmpdir(), 'effectual-bench-app');

export interface UiOptions {
  port: number;
  /** Reuse the previous build in APP_BUILD_DIR instead of running `vite build` first. */
  skipBuild: boolean;
  /** Weight schemes to switch to, in order; each must give a report the overview has not shown yet. */
  schemes: string[];
  frameSeconds: number;
  log: (line: string) => void;
}

export interface Skipped {
  skipped: string;
}

export interface QuantChange {
  scheme: string;
  cached: boolean;
  ms: number;
  longestTaskMs: number;
  /** Thread CPU time over the same interval (Chrome trace): the page's main thread and its workers. */
  cpu?: ThreadCpu;
}

export interface UiResult {
  url: string;
  firstOverviewMs?: number;
  longestTaskDuringLoadMs?: number;
  quantChange: { changes: QuantChange[]; medianUncachedMs: number; cachedMs?: number } | Skipped;
  /** Longest main-thread task between a quantisation change and its updated overview (full re-simulation). */
  longTask:
    | { supported: boolean; longestMs: number; simulationsWithTaskOver50Ms: number; simulations: number }
    | Skipped;
  animation:
    | {
        peGrid: string;
        /** The layer whose tile is animated. */
        layer: string;
        frames: number;
        medianMs: number;
        p95Ms: number;
        maxMs: number;
        distinctCycles: number;
        restarts: number;
        /** Frame times of the same page while not playing: what the machine gives an idle page. */
        idleMedianMs: number;
        idleP95Ms: number;
        /** Main-thread CPU time per frame while playing and at rest (Chrome trace), ms. */
        mainCpuPerFrameMs?: number;
        idleMainCpuPerFrameMs?: number;
      }
    | Skipped;
}

function runVite(args: string[], log: (line: string) => void, timeoutMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [VITE_BIN, ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) done();
      else {
        log(output.trim().split('\n').slice(-15).join('\n'));
        fail(new Error(`vite ${args.join(' ')} exited with ${code}`));
      }
    });
  });
}

/** Whether this vite's preview knows --bypass-lock (8.4 has it; older releases refuse unknown options). */
function previewHasBypassLock(): boolean {
  const help = spawnSync(process.execPath, [VITE_BIN, 'preview', '--help'], { cwd: REPO, encoding: 'utf8' });
  return `${help.stdout}${help.stderr}`.includes('--bypass-lock');
}

async function startPreview(port: number): Promise<{ child: ChildProcess; url: string }> {
  // `npx vite preview --port <port> --strictPort` of that build, started as one process stopped by its id;
  // --bypass-lock because vite 8.4 refuses a second preview of the same project (e.g. the browser tests').
  const args = ['preview', '--outDir', APP_BUILD_DIR, '--port', String(port), '--strictPort'];
  if (previewHasBypassLock()) args.push('--bypass-lock');
  const child = spawn(process.execPath, [VITE_BIN, ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const url = `http://localhost:${port}/`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`vite preview exited: ${output.trim().split('\n').slice(-5).join(' ')}`);
    try {
      if ((await fetch(url)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGTERM');
  throw new Error(`vite preview did not answer on ${url} within 60 s`);
}

const errorText = (e: unknown) => (e instanceof Error ? e.message.split('\n')[0] : String(e));

interface LongTask {
  start: number;
  duration: number;
}

async function longTasks(page: Page): Promise<{ supported: boolean; tasks: LongTask[] }> {
  return page.evaluate(LONG_TASKS) as Promise<{ supported: boolean; tasks: LongTask[] }>;
}

const longestIn = (tasks: LongTask[], from: number, to: number) =>
  Math.max(0, ...tasks.filter((t) => t.start + t.duration >= from && t.start <= to).map((t) => t.duration));

async function measureQuantChanges(page: Page, o: UiOptions): Promise<QuantChange[]> {
  const select = page.getByLabel('Quantisation scheme', { exact: true });
  if ((await select.count()) !== 1)
    throw new Error(
      'no single <select> labelled "Quantisation scheme" (a data-testid="quant-scheme" would make this stable)',
    );
  const initial = await select.inputValue();
  const seen = new Set([initial]);
  const changes: QuantChange[] = [];
  let previous = initial;
  const stopTrace = await startCpuTrace(page);
  const intervals: Array<[number, number]> = [];
  for (const scheme of [...o.schemes, initial]) {
    const cached = seen.has(scheme);
    await page.evaluate(WATCH_OVERVIEW);
    await select.selectOption(scheme);
    await page.waitForFunction(OVERVIEW_RESULT, undefined, { timeout: 180_000, polling: 100 });
    const r = (await page.evaluate(OVERVIEW_RESULT)) as { inputAt: number; paintedAt: number };
    const { tasks } = await longTasks(page);
    const change = {
      scheme,
      cached,
      ms: r.paintedAt - r.inputAt,
      longestTaskMs: longestIn(tasks, r.inputAt, r.paintedAt),
    };
    o.log(
      `    ${previous} -> ${scheme}${cached ? ' (cached report)' : ''}: ${change.ms.toFixed(0)} ms, longest task ${change.longestTaskMs.toFixed(0)} ms`,
    );
    changes.push(change);
    intervals.push([r.inputAt, r.paintedAt]);
    seen.add(scheme);
    previous = scheme;
  }
  const trace = await stopTrace();
  changes.forEach((c, i) => {
    c.cpu = trace.between(...intervals[i]);
    o.log(
      `    ${c.scheme}: CPU main ${c.cpu.mainMs.toFixed(0)} ms, workers ${c.cpu.workersMs.toFixed(0)} ms; longest main-thread task ${c.cpu.longestTaskMs.toFixed(0)} ms (${c.cpu.longestTaskCpuMs.toFixed(0)} ms CPU)`,
    );
  });
  return changes;
}

const frameDeltas = (times: number[]) => times.slice(1).map((t, i) => t - times[i]);

/**
 * The first conv of the second block of the second stage, by the name the served model gives it: the
 * trained export names blocks `layers.N` (stage 2, block 2 is `layers.4`), the earlier placeholder
 * `layer2.1`. Read from the build's own copy of the model, so that a build of an older tree gets its own.
 */
function peGridLayer(log: (line: string) => void): string {
  const file = join(APP_BUILD_DIR, 'models', 'fmnist-resnet20.onnx');
  const names = loadOnnxModel(new Uint8Array(readFileSync(file))).layers.map((l) =>
    l.weightName.replace(/\.weight$/, ''),
  );
  const layer = ['layers.4.conv1', 'layer2.1.conv1'].find((n) => names.includes(n));
  if (layer) return layer;
  log(`    note: neither layers.4.conv1 nor layer2.1.conv1 in the model; using ${names[0]}`);
  return names[0];
}

function peGridLink(url: string, layer: string): string {
  const state = defaultLinkState('fmnist-resnet20');
  state.view = 'pe';
  state.gridAccel = 'pragmatic';
  state.layer = layer;
  state.params = { 'pragmatic.rows': 32, 'pragmatic.columns': 32 };
  state.speed = 60;
  return `${url}#${encodeLink(state, { catalog: PARAM_CATALOG, customModelLoaded: false })}`;
}

async function measureAnimation(page: Page, url: string, o: UiOptions): Promise<UiResult['animation']> {
  const layer = peGridLayer(o.log);
  await page.goto(peGridLink(url, layer));
  const play = page.getByTestId('play');
  await play.waitFor({ timeout: 180_000 });
  const caption =
    (await page
      .getByText(/\d+ × \d+ PEs/)
      .first()
      .textContent()) ?? '';
  const grid = /(\d+) × (\d+) PEs/.exec(caption);
  const peGrid = grid ? `${grid[1]}x${grid[2]}` : 'unknown';
  if (peGrid !== '32x32') o.log(`    note: the PE grid shows ${peGrid}, not 32x32`);
  await page.waitForTimeout(500); // let the first frame settle
  const stopTrace = await startCpuTrace(page);
  const idleTimes = (await page.evaluate(sampleIdleFrames(2000))) as number[];
  const idle = frameDeltas(idleTimes);
  const sample = (await page.evaluate(playAndSampleFrames(o.frameSeconds * 1000))) as {
    times: number[];
    distinctCycles: number;
    restarts: number;
  };
  const trace = await stopTrace();
  const deltas = frameDeltas(sample.times);
  const cpuPerFrame = (times: number[]) =>
    times.length > 1
      ? trace.between(times[0], times[times.length - 1]).mainMs / (times.length - 1)
      : undefined;
  if (deltas.length < 10) return { skipped: `only ${deltas.length} animation frames in ${o.frameSeconds} s` };
  o.log(`    layer ${layer}: ${deltas.length} frames`);
  return {
    peGrid,
    layer,
    frames: deltas.length,
    medianMs: median(deltas),
    p95Ms: percentile(deltas, 95),
    maxMs: Math.max(...deltas),
    distinctCycles: sample.distinctCycles,
    restarts: sample.restarts,
    idleMedianMs: median(idle),
    idleP95Ms: percentile(idle, 95),
    mainCpuPerFrameMs: cpuPerFrame(sample.times),
    idleMainCpuPerFrameMs: cpuPerFrame(idleTimes),
  };
}

export async function benchUi(o: UiOptions): Promise<UiResult | Skipped> {
  const missing = chromiumMissing();
  if (missing) return { skipped: missing };
  if (!o.skipBuild) {
    o.log('  building the app (vite build)');
    try {
      await runVite(['build', '--outDir', APP_BUILD_DIR, '--emptyOutDir'], o.log, 600_000);
    } catch (e) {
      return { skipped: `the app does not build yet: ${errorText(e)}` };
    }
  }
  let server: Awaited<ReturnType<typeof startPreview>>;
  try {
    server = await startPreview(o.port);
  } catch (e) {
    return { skipped: errorText(e) };
  }
  const browser = await launchChromium();
  try {
    // The app's Content-Security-Policy forbids eval, which Playwright's string predicates (waitForFunction,
    // evaluate of the probes in uiPage.ts) need; bypassing it changes nothing the app itself does.
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, bypassCSP: true });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.addInitScript(INSTALL_PROBES);
    const result: UiResult = {
      url: server.url,
      quantChange: { skipped: 'not reached' },
      longTask: { skipped: 'not reached' },
      animation: { skipped: 'not reached' },
    };
    o.log(`  opening ${server.url} (ResNet-20, every accelerator)`);
    await page.goto(server.url);
    try {
      await page.waitForFunction(OVERVIEW_READY, undefined, { timeout: 180_000, polling: 100 });
      result.firstOverviewMs = (await page.evaluate('performance.now()')) as number;
      const load = await longTasks(page);
      result.longestTaskDuringLoadMs = longestIn(load.tasks, 0, result.firstOverviewMs);
      o.log(
        `    first overview after ${result.firstOverviewMs.toFixed(0)} ms (${await page.evaluate(TOTALS_TEXT)})`,
      );
    } catch (e) {
      const reason = `the overview never showed network totals (data-testid="total-<id>") with status Ready: ${errorText(e)}${pageErrors.length ? `; page errors: ${pageErrors.slice(0, 2).join(' | ')}` : ''}`;
      result.quantChange = result.longTask = result.animation = { skipped: reason };
      return result;
    }
    try {
      const changes = await measureQuantChanges(page, o);
      const uncached = changes.filter((c) => !c.cached);
      const cached = changes.find((c) => c.cached);
      result.quantChange = {
        changes,
        medianUncachedMs: median(uncached.map((c) => c.ms)),
        cachedMs: cached?.ms,
      };
      const { supported } = await longTasks(page);
      result.longTask = {
        supported,
        longestMs: Math.max(0, ...uncached.map((c) => c.longestTaskMs)),
        simulationsWithTaskOver50Ms: uncached.filter((c) => c.longestTaskMs > 50).length,
        simulations: uncached.length,
      };
    } catch (e) {
      result.quantChange = result.longTask = { skipped: errorText(e) };
    }
    try {
      o.log('  PE grid: Pragmatic at 32x32 PEs, playing at 60 cycles/s');
      result.animation = await measureAnimation(page, server.url, o);
    } catch (e) {
      result.animation = { skipped: errorText(e) };
    }
    return result;
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
  }
}
