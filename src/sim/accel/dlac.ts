/**
 * DLAC (accelerators.md §13, our reconstruction): an R × Cg grid of PEs with U arithmetic units and B output
 * buffers each, skipping pairs with a zero weight or a zero activation; the grid synchronises after every
 * chunk of L reduction indices. No §1.4 transform.
 */
import { cdiv, layerMacs } from '../types';
import { DLAC_PARAMS, prepareDlac, readDlacConfig } from './dlacCore';
import { dlacCounts } from './dlacCounts';
import { traceDlac } from './dlacTrace';
import { makeResult, withDefaults } from './run';
import type { AccelLayerInput, AcceleratorModel, LayerResult, Params } from './types';

export { dlacCounts, type DlacCounts } from './dlacCounts';

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
