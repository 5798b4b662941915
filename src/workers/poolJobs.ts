import type { SimConfig } from '../sim/config';
import { layerMacs, type LayerWork } from '../sim/types';
import { ACCELERATORS, paramsFor, simulateLayer, withDefaults } from '../sim/accel';
import type { LayerResult, ModelId, Params } from '../sim/accel/types';

/** One accelerator on one layer: the unit of work the pool hands out. */
export interface SimJob {
  layer: number;
  model: ModelId;
  /** Full parameter record (defaults filled in), exactly what simulateNetwork passes. */
  params: Params;
  /** Rough relative cost, only used to hand out the big jobs first. */
  cost: number;
}

/**
 * Relative simulation cost per MAC of each model on ResNet-20 (measured in Node, all models on every
 * layer); closed-form models barely look at the data. Only the order of the jobs depends on it, never a
 * result.
 */
const COST_PER_MAC: Record<ModelId, number> = {
  scnn: 6,
  dlac: 3,
  laconic: 3,
  pragmatic: 2,
  dstripes: 1,
  cnvlutin: 0.6,
  dadn: 0.5,
  loom: 0.5,
  stripes: 0.1,
  eie: 0.05,
  bitfusion: 0.02,
};

/** Every (layer, model) pair simulateNetwork would simulate, biggest first (ties in network order). */
export function simulationJobs(layers: readonly LayerWork[], config: SimConfig): SimJob[] {
  const jobs: SimJob[] = [];
  const params = new Map<ModelId, Params>();
  for (const id of config.accels)
    params.set(id, withDefaults(ACCELERATORS[id], paramsFor(id, config.params)));
  layers.forEach((work, layer) => {
    for (const id of config.accels) {
      const p = params.get(id)!;
      if (!ACCELERATORS[id].appliesTo(work, p)) continue;
      const cost = COST_PER_MAC[id] * layerMacs(work.geometry) * work.acts.length;
      jobs.push({ layer, model: id, params: p, cost });
    }
  });
  return jobs
    .map((job, order) => ({ job, order }))
    .sort((a, b) => b.job.cost - a.job.cost || a.order - b.order)
    .map(({ job }) => job);
}

export function runJob(
  layers: readonly LayerWork[],
  job: Pick<SimJob, 'layer' | 'model' | 'params'>,
): LayerResult {
  const work = layers[job.layer];
  if (!work) throw new Error(`no layer ${job.layer} in the network sent to this worker`);
  return simulateLayer(ACCELERATORS[job.model], work, job.params);
}

/** Messages between the simulation worker and its helpers (structured-clone data). */
export type ToHelper =
  | { kind: 'network'; key: string; layers: LayerWork[] }
  | { kind: 'job'; key: string; job: number; layer: number; model: ModelId; params: Params };

export type FromHelper =
  { kind: 'result'; job: number; result: LayerResult } | { kind: 'failed'; job: number; message: string };

/** The helper's side: keeps the last network it was sent and answers jobs on it. */
export function helperHandler(post: (msg: FromHelper) => void): (msg: ToHelper) => void {
  let network: { key: string; layers: LayerWork[] } | null = null;
  return (msg) => {
    if (msg.kind === 'network') {
      network = { key: msg.key, layers: msg.layers };
      return;
    }
    try {
      if (!network || network.key !== msg.key) throw new Error('job for a network this worker does not hold');
      post({ kind: 'result', job: msg.job, result: runJob(network.layers, msg) });
    } catch (err) {
      post({ kind: 'failed', job: msg.job, message: err instanceof Error ? err.message : String(err) });
    }
  };
}
