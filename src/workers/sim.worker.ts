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

/**
 * Thin adapter between Comlink and src/sim/pipeline. Heavy objects stay here: a PreparedNetwork per
 * (model, images, offset, seed, quantisation) and the last few reports, so that toggling back is instant.
 */
const assets = new AssetStore();
const prepared = new Lru<PreparedNetwork>(2);
const reports = new Lru<SimReport>(8);
let customBytes: Uint8Array | null = null;
let customId = 0;

async function getPrepared(config: SimConfig, onProgress?: (p: Progress) => void) {
  const key = prepareKey(config, customId);
  const hit = prepared.get(key);
  if (hit) return { net: hit, cached: true };
  const inputs = await assets.inputsFor(config.model, customBytes);
  // Remote callbacks return promises; progress is fire-and-forget.
  const net = prepareNetwork(config, inputs, { onProgress: (p) => void onProgress?.(p) });
  prepared.set(key, net);
  return { net, cached: false };
}

function summary(net: PreparedNetwork, cached: boolean): PrepareSummary {
  return {
    layers: net.layers.map((l) => ({ name: l.name, kind: l.geometry.kind })),
    accuracy: net.accuracy,
    cached,
  };
}

const api: SimWorkerApi = {
  init(baseUrl: string) {
    assets.setBase(baseUrl);
  },

  async prepare(config, onProgress) {
    const { net, cached } = await getPrepared(config, onProgress);
    return summary(net, cached);
  },

  async simulate(config, onProgress) {
    const key = reportKey(config, customId);
    const hit = reports.get(key);
    if (hit) return hit;
    const { net } = await getPrepared(config, onProgress);
    const report = simulateNetwork(net, config, { onProgress: (p) => void onProgress?.(p) });
    reports.set(key, report);
    return report;
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
};

Comlink.expose(api);
