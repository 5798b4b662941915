/**
 * `npm run bench`: simulation speed (Node), inference throughput (Node and headless chromium, ours vs
 * onnxruntime-web) and app interactivity (headless chromium against the production build). Prints every
 * figure next to its target and saves bench/results/latest.json plus a timestamped copy.
 * docs/performance.md explains each figure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { benchBrowserInference } from './inferBrowser';
import { benchNodeInference } from './inferNode';
import { modelVariants } from './models';
import { parseOptions, USAGE, type BenchOptions } from './options';
import { loadReferences, type ReferenceSet } from './references';
import { benchNetwork, type SimNetworkResult } from './sim';
import { inferenceTable, simTable, summaryRows, summaryTable, type InferenceResults } from './summary';
import { benchUi, type Skipped, type UiResult } from './ui';

const RESULTS_DIR = resolve(import.meta.dirname, 'results');
const GENERATED_DIR = join(tmpdir(), 'effectual-bench-generated');

const log = (line: string) => process.stderr.write(`${line}\n`);
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

function machine() {
  const cores = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cores[0]?.model ?? 'unknown',
    cores: cores.length,
    memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
    freeMemoryGiB: +(freemem() / 2 ** 30).toFixed(1),
    loadAverage: loadavg().map((x) => +x.toFixed(2)),
  };
}

function runSim(o: BenchOptions, references: ReferenceSet): SimNetworkResult[] {
  const out: SimNetworkResult[] = [];
  for (const plan of o.networks) {
    log(`[sim] ${plan.label}`);
    try {
      const result = benchNetwork(plan, references, log);
      out.push(result);
      console.log(`\n${simTable(result)}`);
    } catch (e) {
      log(`  failed: ${errorText(e)}`);
      out.push({
        model: plan.model,
        label: plan.label,
        layers: 0,
        images: 0,
        macs: 0,
        prepare: { wall: 0, cpu: 0 },
        repeats: plan.repeats,
        accelerators: [],
        total: { wall: NaN, cpu: NaN },
        referenceMissing: [],
        error: errorText(e),
      });
    }
  }
  return out;
}

async function runInference(o: BenchOptions): Promise<InferenceResults | Skipped> {
  log('[inference] ResNet-20 variants');
  let variants;
  try {
    variants = modelVariants(GENERATED_DIR);
  } catch (e) {
    return { skipped: `could not prepare the model files: ${errorText(e)}` };
  }
  if (variants.length === 0) return { skipped: 'no ResNet-20 model file in public/models' };
  const node = variants.map((v) => {
    log(`  Node: ${v.id}`);
    return benchNodeInference(v, o.inference.batch, o.inference.rounds);
  });
  let browser: InferenceResults['browser'];
  try {
    browser = await benchBrowserInference({ ...o.inference, variants, generatedDir: GENERATED_DIR, log });
  } catch (e) {
    browser = { skipped: errorText(e) };
  }
  const result: InferenceResults = {
    variants: variants.map(({ id, label, ternary, url, derived }) => ({ id, label, ternary, url, derived })),
    node,
    browser,
  };
  console.log(`\nInference, ResNet-20 on the shipped Fashion-MNIST test images\n${inferenceTable(result)}`);
  return result;
}

async function runUi(o: BenchOptions): Promise<UiResult | Skipped> {
  log('[ui] interactivity of the production build');
  try {
    return await benchUi({ ...o.ui, log });
  } catch (e) {
    return { skipped: errorText(e) };
  }
}

function save(report: unknown): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const files = [join(RESULTS_DIR, 'latest.json'), join(RESULTS_DIR, `bench-${stamp}.json`)];
  for (const f of files) writeFileSync(f, text);
  return files;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    console.log(USAGE);
    return;
  }
  const startedAt = new Date().toISOString();
  const machineAtStart = machine();
  log(
    `effectual bench: ${options.parts.join(', ')}; load average ${machineAtStart.loadAverage.join(' ')} on ${machineAtStart.cores} cores`,
  );
  const references = await loadReferences();
  if (options.parts.includes('sim'))
    log(
      `references found: ${Object.keys(references.found).join(', ') || 'none'}; missing: ${references.missing.join(', ') || 'none'}`,
    );
  for (const e of references.errors) log(`  reference file not loaded: ${e}`);

  const sim = options.parts.includes('sim') ? runSim(options, references) : undefined;
  const inference = options.parts.includes('infer') ? await runInference(options) : undefined;
  const ui = options.parts.includes('ui') ? await runUi(options) : undefined;
  if (ui && 'skipped' in ui) log(`  interactivity skipped: ${ui.skipped}`);

  const summary = summaryRows(sim, inference, ui);
  console.log(`\nTargets (issue 8)\n${summaryTable(summary)}`);
  const report = {
    tool: 'effectual-bench',
    formatVersion: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { ...machine(), loadAverageAtStart: machineAtStart.loadAverage },
    options,
    references: {
      found: Object.fromEntries(Object.entries(references.found).map(([id, r]) => [id, r?.file])),
      missing: references.missing,
      errors: references.errors,
    },
    summary,
    sim,
    inference,
    ui,
  };
  if (options.save) for (const f of save(report)) log(`saved ${f}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
