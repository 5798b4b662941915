import type { SimConfig } from '../sim/config';
import { layerMacs } from '../sim/types';
import { simulateLayerReport, type PreparedNetwork } from '../sim/pipeline';
import type { LayerReport } from '../sim/report';
import { ACCELERATORS, paramsFor, withDefaults } from '../sim/accel';
import type { ModelId } from '../sim/accel/types';

/** One layer of the report (all its models, statistics, storage, energy): the unit the pool hands out. */
export interface SimJob {
  layer: number;
  /** Rough relative cost, only used to hand out the big jobs first. */
  cost: number;
}

/**
 * Relative simulation cost per MAC of each model (measured on ResNet-20 in Node); closed-form models
 * barely look at the data. Only the order of the jobs depends on it, never a result.
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
/** The layer's own statistics (terms, storage, energy), in the same units. */
const STATS_PER_MAC = 1;

/** Every layer of the network as a job, biggest first (ties in network order). */
export function simulationJobs(prepared: PreparedNetwork, config: SimConfig): SimJob[] {
  const params = config.accels.map(
    (id) => [id, withDefaults(ACCELERATORS[id], paramsFor(id, config.params))] as const,
  );
  const jobs = prepared.layers.map((work, layer) => {
    let perMac = STATS_PER_MAC;
    for (const [id, p] of params) if (ACCELERATORS[id].appliesTo(work, p)) perMac += COST_PER_MAC[id];
    return { layer, cost: perMac * layerMacs(work.geometry) * work.acts.length };
  });
  return jobs.sort((a, b) => b.cost - a.cost || a.layer - b.layer);
}

/**
 * What a helper needs of a prepared network. simulateLayerReport reads the layers (codes, activations) and
 * each layer's quantiser record, never the float weights nor the dequantised values, which are most of a
 * big network (ResNet-50: 349 MB in all, 145 MB without them). Should it ever read them, the pool's tests
 * see the reports differ.
 */
export function helperNetwork(prepared: PreparedNetwork): PreparedNetwork {
  return {
    ...prepared,
    floatWeights: [],
    quantized: prepared.quantized.map((q) => q && { ...q, values: new Float32Array(0) }),
  };
}

/** Messages between the simulation worker and its helpers (structured-clone data). */
export type ToHelper =
  | { kind: 'network'; key: string; prepared: PreparedNetwork }
  | { kind: 'job'; key: string; job: number; layer: number; config: SimConfig };

export type FromHelper =
  { kind: 'result'; job: number; layer: LayerReport } | { kind: 'failed'; job: number; message: string };

/** The helper's side: keeps the last network it was sent and answers jobs on it. */
export function helperHandler(post: (msg: FromHelper) => void): (msg: ToHelper) => void {
  let network: { key: string; prepared: PreparedNetwork } | null = null;
  return (msg) => {
    if (msg.kind === 'network') {
      network = { key: msg.key, prepared: msg.prepared };
      return;
    }
    try {
      if (!network || network.key !== msg.key) throw new Error('job for a network this worker does not hold');
      post({
        kind: 'result',
        job: msg.job,
        layer: simulateLayerReport(network.prepared, msg.config, msg.layer),
      });
    } catch (err) {
      post({ kind: 'failed', job: msg.job, message: err instanceof Error ? err.message : String(err) });
    }
  };
}
