/**
 * Benchmark page: our engine and onnxruntime-web, each in its own Web Worker with one thread, on the same model
 * file and the same real test images, in the same page load. Rounds alternate which engine goes first so
 * that a burst of load on the machine hits both alike. bench/inferBrowser.ts calls window.effectualBench.
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

async function benchModel(
  model: PageOptions['models'][number],
  images: Float32Array,
  n: number,
  shape: number[],
  o: PageOptions,
): Promise<ModelTiming> {
  const ours = new WorkerClient(new Worker(new URL('./oursWorker.ts', import.meta.url), { type: 'module' }));
  const ort = new WorkerClient(new Worker(new URL('./ortWorker.ts', import.meta.url), { type: 'module' }));
  const clients = { ours, ort };
  const modelUrl = new URL(model.url, document.baseURI).href;
  const ortBaseUrl = new URL('ort/', document.baseURI).href;
  try {
    const loaded = {
      ours: expect(await ours.call({ type: 'load', modelUrl, threads: o.threads, ortBaseUrl }), 'loaded'),
      ort: expect(await ort.call({ type: 'load', modelUrl, threads: o.threads, ortBaseUrl }), 'loaded'),
    };
    const run = async (which: 'ours' | 'ort') =>
      expect(await clients[which].call({ type: 'run', images, n, shape }), 'ran');
    const warm = { ours: await run('ours'), ort: await run('ort') }; // JIT, buffers, wasm tier-up
    const times: Record<'ours' | 'ort', number[]> = { ours: [], ort: [] };
    for (let r = 0; r < o.rounds; r++) {
      const order: Array<'ours' | 'ort'> = r % 2 === 0 ? ['ours', 'ort'] : ['ort', 'ours'];
      for (const which of order) times[which].push((await run(which)).ms);
    }
    const timing = (which: 'ours' | 'ort'): EngineTiming => ({
      engine: loaded[which].engine,
      loadMs: loaded[which].loadMs,
      msPerBatch: times[which],
      imagesPerSecond: (n / median(times[which])) * 1000,
    });
    const result: ModelTiming = {
      id: model.id,
      ours: timing('ours'),
      ort: timing('ort'),
      agreement: agreement(warm.ours.logits, warm.ort.logits, n),
    };
    log(
      `${model.id}: ours ${result.ours!.imagesPerSecond.toFixed(0)} img/s, ort ${result.ort!.imagesPerSecond.toFixed(0)} img/s`,
    );
    return result;
  } catch (error) {
    log(`${model.id}: ${errorMessage(error)}`);
    return { id: model.id, error: errorMessage(error) };
  } finally {
    ours.terminate();
    ort.terminate();
  }
}

async function effectualBench(o: PageOptions): Promise<PageResult> {
  const bytes = new Uint8Array(await (await fetch(new URL(o.datasetUrl, document.baseURI))).arrayBuffer());
  const data = parseDataset(bytes);
  const n = Math.min(o.batch, data.count);
  const per = data.shape[0] * data.shape[1] * data.shape[2];
  const images = data.images.slice(0, n * per);
  const models: ModelTiming[] = [];
  for (const model of o.models) models.push(await benchModel(model, images, n, [...data.shape], o));
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
