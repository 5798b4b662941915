/**
 * SCNN (accelerators.md §10): Cartesian-product PEs on compressed activations and weights, scattering into
 * banked accumulators; PEs tile the plane and synchronise per input channel; halos are exchanged after each
 * output-channel group. Baseline: the same SCNN without sparsity (its dense mode).
 */
import { layerMacs } from '../types';
import { dadnCycles } from './grid';
import { makeResult, potentialOf, withDefaults } from './run';
import { scnnCounts } from './scnnCore';
import { traceScnn } from './scnnTrace';
import { prepareScnn, readScnnConfig, SCNN_PARAMS, tapCounts, type ScnnLayer } from './scnnLayer';
import { bothNonZeroMacsByTap, nonZeroMask, paddedShape } from './sparseParams';
import type { AccelLayerInput, AcceleratorModel, LayerResult, Params } from './types';

function simulateScnn(input: AccelLayerInput, params: Params): LayerResult {
  const cfg = readScnnConfig(withDefaults(scnn, params));
  const layer = prepareScnn(input, cfg);
  const totals = scnnCounts(layer);
  const g = input.geometry;
  const macs = layerMacs(g);
  const effectualMacs = effectualMacsOf(input, layer);
  const bits = input.wb * input.wb * effectualMacs + (cfg.zeroCount ? macs - effectualMacs : 0);
  const dadn = dadnCycles(input, true);
  return makeResult({
    model: 'scnn',
    layer: input.name,
    cycles: totals.cycles,
    baselineCycles: totals.denseCycles,
    macs,
    effectualWork: totals.products,
    unit: 'mac',
    slotsPerCycle: cfg.Pg * cfg.Pg * cfg.I * cfg.F,
    skippedWork: macs - effectualMacs,
    potential: potentialOf(macs, input.wb, bits),
    stalls: { halo: totals.haloCycles },
    extra: {
      denseCycles: totals.denseCycles,
      dadnCycles: dadn,
      // SCNN has Pg²·I·F multipliers (1024 by default) against DaDN's 4096.
      speedupVsDaDN: dadn / Math.max(totals.cycles, 1),
      bankConflictPeCycles: totals.conflictCycles,
      // Multiplications performed, including products that fall outside the output plane (for energy).
      executedWork: totals.multiplied,
      outputChannelGroup: layer.Kc,
    },
  });
}

/** MACs with both operands non-zero; a conv layer reuses the prepared mask (padded, zero-extended beyond). */
function effectualMacsOf(input: AccelLayerInput, layer: ScnnLayer): number {
  const g = input.geometry;
  const filters = tapCounts(layer, g.C * g.Kh * g.Kw);
  if (g.kind === 'fc') return bothNonZeroMacsByTap(paddedShape(input), nonZeroMask(input.act), filters);
  return bothNonZeroMacsByTap({ ...paddedShape(input), Nh: layer.Xe, Nw: layer.Ye }, layer.act, filters);
}

export const scnn: AcceleratorModel = {
  id: 'scnn',
  name: 'SCNN',
  summary:
    'Skips zero activations and zero weights: Cartesian product of compressed operands per input channel, scattered into banked accumulators.',
  params: SCNN_PARAMS,
  appliesTo: () => true,
  simulate: simulateScnn,
  trace: (input, params, request) => traceScnn(input, readScnnConfig(withDefaults(scnn, params)), request),
};
