/**
 * Bit-Pragmatic (accelerators.md §6): activations term-serial (one term per lane per cycle through a
 * two-stage shifter), weights bit-parallel, columns (windows) running ahead by up to R steps.
 */
import { cdiv, layerMacs } from '../types';
import { makeResult, potentialOf } from './run';
import { brickIssueCycles } from './columnSync';
import {
  convSchedule,
  fcBrickCosts,
  PRAGMATIC_PARAMS,
  preparePragmatic,
  readPragmaticOptions,
} from './pragmaticCore';
import { pragmaticTrace } from './pragmaticTrace';
import { dadnGridCycles, gridGeometry } from './gridParams';
import type { AccelLayerInput, AcceleratorModel, LayerResult, Params } from './types';

export function simulatePragmatic(input: AccelLayerInput, params: Params): LayerResult {
  const opts = readPragmaticOptions(params, input);
  const { grid } = opts;
  const layer = preparePragmatic(input, opts);
  const slotsPerCycle = grid.lanes * grid.columns * grid.rows * grid.tiles;

  let cycles: number;
  let columnSyncStall: number;
  if (layer.isFc) {
    let previousStart = -1;
    columnSyncStall = 0;
    cycles = brickIssueCycles(fcBrickCosts(layer), grid.columns, layer.filterSets, (_k, _col, start) => {
      columnSyncStall += start - previousStart - 1; // issuer waiting for a busy column
      previousStart = start;
    });
  } else {
    const schedule = convSchedule(layer);
    cycles = schedule.cyclesPerFilterSet * layer.filterSets;
    columnSyncStall = schedule.syncStall * layer.filterSets;
  }

  // Work and potential on the original geometry (§1.8): each term drives one shift-and-add per filter.
  const macs = layerMacs(input.geometry);
  const K = input.geometry.K;
  const sums = layer.activationSums;
  const effectualWork = K * sums.terms;
  const potentialBits = K * (sums.terms + sums.zeroUses) * grid.wb; // Σ max(1, T(a)) · Wb
  // Skipped: the activation bits a bit-serial engine would stream at the layer precision (Stripes' work,
  // Pa per MAC) minus the terms Pragmatic actually processes — zero bits and zero/padded activations.
  const skippedWork = Math.max(0, macs * input.pa - effectualWork);

  return makeResult({
    model: 'pragmatic',
    layer: input.name,
    cycles,
    baselineCycles: dadnGridCycles(gridGeometry(input, grid.spaceToDepth), grid),
    macs,
    effectualWork,
    unit: 'term',
    slotsPerCycle,
    skippedWork,
    potential: potentialOf(macs, grid.wb, potentialBits),
    stalls: {
      // Conv: Σ over steps of the §6.3 stall statistic × filter sets; FC: cycles the brick issuer waited.
      columnSync: columnSyncStall,
      sync: Math.max(0, cycles - cdiv(effectualWork, slotsPerCycle)),
    },
  });
}

export const pragmatic: AcceleratorModel = {
  id: 'pragmatic',
  name: 'Bit-Pragmatic',
  summary: 'Skips zero activation bits: each activation is streamed term by term (booth-like oneffsets).',
  params: PRAGMATIC_PARAMS,
  appliesTo: () => true,
  simulate: simulatePragmatic,
  trace: pragmaticTrace,
};
