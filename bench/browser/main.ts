/**
 * Benchmark page: our engine and onnxruntime-web, each in its own Web Worker with one thread, on the same model
 * files and the same real test images, in the same page load. The timed batches of all (model, engine) pairs
 * are interleaved round by round. bench/inferBrowser.ts calls window.effectualBench.
 */
import { parseDataset } from '../../src/sim/dataset';
import { WorkerClient, errorMessage, type WorkerReply } from './protocol';

export interface PageOptions {
  models: Array<{ id: string; url: string }>;
  datasetUrl: string;
  batch: number;
  rounds: number;
  threads: number;
}

export interface EngineTiming {
  engine: string;
  loadMs: number;
  msPerBatch: number[];
  imagesPerSecond: number;
}

export interface ModelTiming {
  id: string;
  ours?: EngineTiming;
  ort?: EngineTiming;
  /** Same top-1 class from both engines on how many of the batch, and the largest logit difference. */
  agreement?: { sameClass: number; n: number; maxAbsLogitDiff: number };
  error?: string;
}

export interface PageResult {
  userAgent: string;
  hardwareConcurrency: number;
  batch: number;
  rounds: number;
  threads: number;
  models: ModelTiming[];
}

const log = (line: string) => {
  const el = document.getElementById('log');
  if (el) el.textContent += `${line}\n`;
};

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

function expect<T extends WorkerReply['type']>(
  reply: WorkerReply,
  type: T,
): Extract<WorkerReply, { type: T }> {
  if (reply.type === 'error') throw new Error(reply.message);
  if (reply.type !== type) throw new Error(`expected a '${type}' reply, got '${reply.type}'`);
  return reply as Extract<WorkerReply, { type: T }>;
}

function agreement(a: Float32Array, b: Float32Array, n: number): ModelTiming['agreement'] {
  const classes = a.length / n;
  let sameClass = 0;
  let maxAbsLogitDiff = 0;
  for (let i = 0; i < n; i++) {
    let ia = 0;
    let ib = 0;
    for (let c = 0; c < classes; c++) {
      const k = i * classes + c;
      if (a[k] > a[i * classes + ia]) ia = c;
      if (b[k] > b[i * classes + ib]) ib = c;
      maxAbsLogitDiff = Math.max(maxAbsLogitDiff, Math.abs(a[k] - b[k]));
    }
    if (ia === ib) sameClass++;
  }
  return { sameClass, n, maxAbsLogitDiff };
}

type EngineId = 'ours' | 'ort';
const ENGINES: readonly EngineId[] = ['ours', 'ort'];

interface Contender {
  model: string;
  engine: EngineId;
  client: WorkerClient;
  loaded: Extract<WorkerReply, { type: 'loaded' }>;
  warmLogits: Float32Array;
  times: number[];
}

function newWorker(engine: EngineId): Worker {
  return engine === 'ours'
    ? new Worker(new URL('./oursWorker.ts', import.meta.url), { type: 'module' })
    : new Worker(new URL('./ortWorker.ts', import.meta.url), { type: 'module' });
}

/** Loads one model in both engines and runs a warm-up batch in each (JIT, buffers, wasm tier-up). */
async function prepareModel(
  model: PageOptions['models'][number],
  images: Float32Array,
  n: number,
  shape: number[],
  o: PageOptions,
): Promise<Contender[]> {
  const modelUrl = new URL(model.url, document.baseURI).href;
  const ortBaseUrl = new URL('ort/', document.baseURI).href;
  const contenders: Contender[] = [];
  const started: WorkerClient[] = [];
  try {
    for (const engine of ENGINES) {
      const client = new WorkerClient(newWorker(engine));
      started.push(client);
      const loaded = expect(
        await client.call({ type: 'load', modelUrl, threads: o.threads, ortBaseUrl }),
        'loaded',
      );
      const warm = expect(await client.call({ type: 'run', images, n, shape }), 'ran');
      contenders.push({ model: model.id, engine, client, loaded, warmLogits: warm.logits, times: [] });
    }
    return contenders;
  } catch (error) {
    for (const client of started) client.terminate();
    throw error;
  }
}

async function effectualBench(o: PageOptions): Promise<PageResult> {
  const bytes = new Uint8Array(await (await fetch(new URL(o.datasetUrl, document.baseURI))).arrayBuffer());
  const data = parseDataset(bytes);
  const n = Math.min(o.batch, data.count);
  const per = data.shape[0] * data.shape[1] * data.shape[2];
  const images = data.images.slice(0, n * per);
  const shape = [...data.shape];
  const models: ModelTiming[] = [];
  const contenders: Contender[] = [];
  for (const model of o.models) {
    try {
      contenders.push(...(await prepareModel(model, images, n, shape, o)));
      models.push({ id: model.id });
    } catch (error) {
      log(`${model.id}: ${errorMessage(error)}`);
      models.push({ id: model.id, error: errorMessage(error) });
    }
  }
  // Every round runs every (model, engine) pair once, starting one further along each time, so that a change
  // of load on the machine reaches all of them alike, also the cross-model ratios (ternary ours / float ort).
  try {
    for (let r = 0; r < o.rounds; r++)
      for (let k = 0; k < contenders.length; k++) {
        const c = contenders[(k + r) % contenders.length];
        c.times.push(expect(await c.client.call({ type: 'run', images, n, shape }), 'ran').ms);
      }
  } finally {
    for (const c of contenders) c.client.terminate();
  }
  for (const m of models) {
    const ours = contenders.find((c) => c.model === m.id && c.engine === 'ours');
    const ort = contenders.find((c) => c.model === m.id && c.engine === 'ort');
    if (!ours || !ort) continue;
    const timing = (c: Contender): EngineTiming => ({
      engine: c.loaded.engine,
      loadMs: c.loaded.loadMs,
      msPerBatch: c.times,
      imagesPerSecond: (n / median(c.times)) * 1000,
    });
    m.ours = timing(ours);
    m.ort = timing(ort);
    m.agreement = agreement(ours.warmLogits, ort.warmLogits, n);
    log(
      `${m.id}: ours ${m.ours.imagesPerSecond.toFixed(0)} img/s, ort ${m.ort.imagesPerSecond.toFixed(0)} img/s`,
    );
  }
  return {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    batch: n,
    rounds: o.rounds,
    threads: o.threads,
    models,
  };
}

declare global {
  interface Window {
    effectualBench?: (o: PageOptions) => Promise<PageResult>;
  }
}

window.effectualBench = effectualBench;
log('ready');
