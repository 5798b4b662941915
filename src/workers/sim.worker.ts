import * as Comlink from 'comlink';
import {
  layerDetails,
  prepareNetwork,
  simulateNetwork,
  traceTile,
  type PreparedNetwork,
  type Progress,
} from '../sim/pipeline';
import type { SimConfig } from '../sim/config';
import type { SimReport } from '../sim/report';
import type { ModelId, TraceRequest } from '../sim/accel/types';
import type { CustomModelInfo, PrepareSummary, SimWorkerApi } from './api';
import { AssetStore } from './assets';
import { Lru, prepareKey, reportKey } from './keys';
import { SimPool, type HelperPort } from './pool';
import { simulationJobs } from './poolJobs';
import { TestHooks } from './testHooks';

/**
 * Thin adapter between Comlink and src/sim/pipeline. Heavy objects stay here: a PreparedNetwork per
 * (model, images, offset, seed, quantisation) and the last few reports, so that toggling back is instant.
 */
const assets = new AssetStore();
const prepared = new Lru<PreparedNetwork>(2);
const reports = new Lru<SimReport>(8);
let customBytes: Uint8Array | null = null;
let customId = 0;

/**
 * Helpers that run accelerator models next to this worker (one per spare core, at most three; this worker
 * runs models too). Nested workers end with this one, so a superseded simulation stops them as well.
 */
const pool = new SimPool(
  () =>
    new Worker(new URL('./pool.worker.ts', import.meta.url), {
      type: 'module',
      name: 'effectual-sim-helper',
    }) as unknown as HelperPort,
  typeof Worker === 'undefined' ? 0 : Math.min(3, Math.max(0, (navigator.hardwareConcurrency || 1) - 1)),
);

const PROGRESS_INTERVAL_MS = 250;

/**
 * Progress for the page at most every PROGRESS_INTERVAL_MS, and none in the first interval (the page
 * already says it is working): every message re-renders and repaints the page's status, which competes
 * with the simulation for the CPU, and most quantisation changes take less than that.
 */
function throttled(onProgress?: (p: Progress) => void): (p: Progress) => void {
  let last = performance.now();
  return (p) => {
    const now = performance.now();
    if (!onProgress || now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    void onProgress(p); // remote callbacks return promises; progress is fire-and-forget
  };
}

/** Preparations under way, so that a simulate call sent right behind its prepare call waits for it. */
const preparing = new Map<string, Promise<PreparedNetwork>>();

async function getPrepared(config: SimConfig, onProgress?: (p: Progress) => void) {
  const key = prepareKey(config, customId);
  const hit = prepared.get(key);
  if (hit) return { net: hit, cached: true };
  let running = preparing.get(key);
  if (!running) {
    const bytes = customBytes;
    running = (async () => {
      const inputs = await assets.inputsFor(config.model, bytes);
      let net: PreparedNetwork;
      try {
        net = prepareNetwork(config, inputs, { onProgress });
      } catch (err) {
        assets.forgetModel(config.model); // Retry fetches the file again (it may have arrived damaged)
        throw err;
      }
      prepared.set(key, net);
      return net;
    })().finally(() => preparing.delete(key));
    preparing.set(key, running);
  }
  return { net: await running, cached: false };
}

async function simulate(config: SimConfig, progress: (p: Progress) => void): Promise<SimReport> {
  const { net } = await getPrepared(config, progress);
  if (pool.size === 0) return simulateNetwork(net, config, { onProgress: progress });
  const jobs = simulationJobs(net, config);
  const precomputed = await pool.run(prepareKey(config, customId), net, config, jobs, (done, total) =>
    progress({ stage: 'simulate', fraction: done / total, message: `simulated ${done} of ${total} layers` }),
  );
  return simulateNetwork(net, config, { precomputed });
}

const simulations = new Map<string, Promise<SimReport>>();
const testHooks = new TestHooks();

function summary(net: PreparedNetwork, cached: boolean): PrepareSummary {
  return {
    layers: net.layers.map((l) => ({ name: l.name, kind: l.geometry.kind })),
    accuracy: net.accuracy,
    cached,
  };
}

const api: SimWorkerApi = {
  init(baseUrl, options) {
    assets.setBase(baseUrl);
    if (options?.testHooks) testHooks.enable();
  },

  async prepare(config, onProgress) {
    // A report already made needs no network (it may have left the cache of prepared networks).
    const report = reports.get(reportKey(config, customId));
    if (report)
      return {
        layers: report.layers.map((l) => ({ name: l.name, kind: l.kind })),
        accuracy: report.accuracy,
        cached: true,
      };
    const { net, cached } = await getPrepared(config, throttled(onProgress));
    return summary(net, cached);
  },

  simulate(config, onProgress) {
    const key = reportKey(config, customId);
    const hit = reports.get(key);
    if (hit) return Promise.resolve(hit);
    const fault = testHooks.duringSimulation();
    if (fault) return fault;
    // A request superseded without a restart (same network) may still be running this configuration.
    let running = simulations.get(key);
    if (!running) {
      running = simulate(config, throttled(onProgress)).finally(() => simulations.delete(key));
      simulations.set(key, running);
    }
    return running.then((report) => {
      reports.set(key, report);
      return report;
    });
  },

  async trace(config: SimConfig, layer: string, model: ModelId, request: TraceRequest) {
    const { net } = await getPrepared(config);
    const trace = traceTile(net, config, layer, model, request);
    const buffers = new Set<ArrayBuffer>();
    for (const arr of [trace.states, trace.skippedPerCycle, trace.columnProgress]) {
      if (arr && arr.buffer instanceof ArrayBuffer) buffers.add(arr.buffer);
    }
    return Comlink.transfer(trace, [...buffers]);
  },

  async details(config, layer) {
    const { net } = await getPrepared(config);
    return layerDetails(net, layer);
  },

  cachedReport(config) {
    return reports.get(reportKey(config, customId)) ?? null;
  },

  restoreCustomModel(bytes: ArrayBuffer) {
    customBytes = new Uint8Array(bytes);
    customId += 1;
  },

  async loadCustomModel(bytes: ArrayBuffer, config: SimConfig): Promise<CustomModelInfo> {
    const previous = { bytes: customBytes, id: customId };
    customBytes = new Uint8Array(bytes);
    customId = previous.id + 1;
    try {
      const { net } = await getPrepared({ ...config, model: 'custom' });
      reports.clear();
      return { layers: net.layers.length, bytes: bytes.byteLength };
    } catch (err) {
      customBytes = previous.bytes;
      customId = previous.id;
      throw err instanceof Error ? err : new Error(String(err));
    }
  },

  injectFault(fault) {
    testHooks.inject(fault);
  },

  probe() {
    return testHooks.probe();
  },
};

Comlink.expose(api);
