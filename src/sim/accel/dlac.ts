/**
 * DLAC (accelerators.md §13, our reconstruction): an R × Cg grid of PEs with U arithmetic units and B output
 * buffers each, skipping pairs with a zero weight or a zero activation; the grid synchronises after every
 * chunk of L reduction indices. No §1.4 transform.
 */
import { cdiv, layerMacs } from '../types';
import { padActivations } from './grid';
import {
  chunkCost,
  chunkCounts,
  chunkDenseCost,
  chunkLength,
  DLAC_PARAMS,
  dlacTile,
  prepareDlac,
  readDlacConfig,
  type DlacLayer,
} from './dlacCore';
import { traceDlac } from './dlacTrace';
import { makeResult, withDefaults } from './run';
import { bothNonZeroMacs, nonZeroMask, paddedShape } from './sparseParams';
import type { AccelLayerInput, AcceleratorModel, LayerResult, Params } from './types';

export interface DlacCounts {
  cycles: number;
  denseCycles: number;
  /** Chunks (over all tiles) in which no PE had an effectual pair. */
  emptyChunks: number;
}

/** Conv cycles and dense cycles of a prepared layer: Σ over tiles and chunks of the grid costs (§13.2). */
export function dlacCounts(layer: DlacLayer): DlacCounts {
  let cycles = 0;
  let denseCycles = 0;
  let emptyChunks = 0;
  const e = new Int32Array(layer.cfg.R * layer.cfg.Cg * layer.cfg.B);
  for (let fb = 0; fb < layer.filterBlocks; fb++)
    for (let wb = 0; wb < layer.windowBlocks; wb++) {
      const tile = dlacTile(layer, fb, wb);
      for (let q = 0; q < layer.chunks; q++) {
        chunkCounts(layer, tile, q, e);
        const cost = chunkCost(layer, tile, e);
        cycles += cost;
        if (cost <= 1 && e.every((v) => v === 0)) emptyChunks++;
        denseCycles += chunkDenseCost(layer, tile, chunkLength(layer, q));
      }
    }
  return { cycles, denseCycles, emptyChunks };
}

function simulateDlac(input: AccelLayerInput, params: Params): LayerResult {
  const cfg = readDlacConfig(withDefaults(dlac, params));
  const layer = prepareDlac(input, cfg);
  const { cycles: convCycles, denseCycles, emptyChunks } = dlacCounts(layer);
  const g = input.geometry;
  const macs = layerMacs(g);
  const slots = cfg.R * cfg.Cg * cfg.U;
  const pointwiseCycles = (input.pointwiseOps ?? 0) * cdiv(g.K * layer.Oh * layer.Ow, slots);
  const added = cfg.includePointwise ? pointwiseCycles : 0;
  const shape = paddedShape(input);
  const actMask = nonZeroMask(padActivations(input.act, g.C, g.H, g.W, g.pad));
  const effectualWork = bothNonZeroMacs(shape, actMask, nonZeroMask(input.wgt));
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
