/**
 * DLAC (accelerators.md §13, our reconstruction): an R × Cg grid of PEs with U arithmetic units and B output
 * buffers each, skipping pairs with a zero weight or a zero activation; the grid synchronises after every
 * chunk of L reduction indices. No §1.4 transform.
 */
import { cdiv, layerMacs } from '../types';
import {
  chunkDenseCost,
  slotCosts,
  chunkLength,
  DLAC_PARAMS,
  dlacTile,
  prepareDlac,
  readDlacConfig,
  type DlacLayer,
} from './dlacCore';
import { traceDlac } from './dlacTrace';
import { makeResult, withDefaults } from './run';
import type { AccelLayerInput, AcceleratorModel, LayerResult, Params } from './types';

export interface DlacCounts {
  cycles: number;
  denseCycles: number;
  /** Chunks (over all tiles) in which no PE had an effectual pair. */
  emptyChunks: number;
  /** Σ e_b over all buffers and chunks: the effectual MACs. */
  pairs: number;
}

/** Conv cycles and dense cycles of a prepared layer: Σ over tiles and chunks of the grid costs (§13.2). */
export function dlacCounts(layer: DlacLayer): DlacCounts {
  let cycles = 0;
  let denseCycles = 0;
  let emptyChunks = 0;
  let pairs = 0;
  const out = new Int32Array(4);
  for (let fb = 0; fb < layer.filterBlocks; fb++)
    for (let wb = 0; wb < layer.windowBlocks; wb++) {
      const tile = dlacTile(layer, fb, wb);
      for (let p = 0; p < layer.slots; p++) {
        slotCosts(layer, tile, p, out);
        for (let k = 0; k < layer.perSlot; k++) {
          const q = p * layer.perSlot + k;
          if (q >= layer.chunks) break;
          cycles += out[k];
          pairs += out[2 + k];
          if (out[2 + k] === 0) emptyChunks++;
          denseCycles += chunkDenseCost(layer, tile, chunkLength(layer, q));
        }
      }
    }
  return { cycles, denseCycles, emptyChunks, pairs };
}

function simulateDlac(input: AccelLayerInput, params: Params): LayerResult {
  const cfg = readDlacConfig(withDefaults(dlac, params));
  const layer = prepareDlac(input, cfg);
  const { cycles: convCycles, denseCycles, emptyChunks, pairs: effectualWork } = dlacCounts(layer);
  const g = input.geometry;
  const macs = layerMacs(g);
  const slots = cfg.R * cfg.Cg * cfg.U;
  const pointwiseCycles = (input.pointwiseOps ?? 0) * cdiv(g.K * layer.Oh * layer.Ow, slots);
  const added = cfg.includePointwise ? pointwiseCycles : 0;
  const flopsPerCycle = (2 * macs) / Math.max(convCycles, 1);
  return makeResult({
    model: 'dlac',
    layer: input.name,
    cycles: convCycles + added,
    baselineCycles: denseCycles + added,
    macs,
    effectualWork,
    unit: 'mac',
    slotsPerCycle: slots,
    skippedWork: macs - effectualWork,
    // Cycles spent on chunks without any effectual pair (1 each unless skipEmptyChunks).
    stalls: { emptyChunks: cfg.skipEmptyChunks ? 0 : emptyChunks },
    extra: {
      convCycles,
      denseCycles,
      pointwiseCycles,
      flopsPerCycle,
      denseFlopsPerCycle: (2 * macs) / Math.max(denseCycles, 1),
      gflops: (flopsPerCycle * cfg.clockMHz) / 1000,
    },
  });
}

export const dlac: AcceleratorModel = {
  id: 'dlac',
  name: 'DLAC (reconstruction)',
  summary:
    'Our reconstruction of dLAC: a PE grid that skips pairs with a zero (ternary-pruned) weight or a zero activation, synchronised per chunk.',
  params: DLAC_PARAMS,
  appliesTo: () => true,
  simulate: simulateDlac,
  trace: (input, params, request) => traceDlac(input, readDlacConfig(withDefaults(dlac, params)), request),
};
