/**
 * Laconic layer schedule (accelerators.md §7.1–7.2), shared by the cycle count and the trace.
 *
 * Fast exact step cost: term counts are ≥ 0, so the max over (window, filter, lane) of Ta·Tw equals the max
 * over lanes of (max over the group's windows of Ta) × (max over the tile's filters of Tw). Both maxima are
 * precomputed once per layer (per group × step × lane and per tile × step × lane), so a step costs `lanes`
 * multiplications instead of rows × columns × lanes.
 */
import { cdiv } from '../types';
import { termCountTable, type TermEncoding } from '../terms';
import { groupActivationMaxima, weightMaxima, type WeightTermSums } from './laconicMaxima';
import {
  boolParam,
  encodingParam,
  fillDefaults,
  GRID_PARAM_SPECS,
  preparedTerms,
  readGrid,
  TERM_ENCODING_SPEC,
  windowBases,
  type GridShape,
  type PreparedShape,
} from './termGrid';
import type { AccelLayerInput, ParamSpec, Params } from './types';

export type TileSync = 'windowGroup' | 'step';

export interface LaconicOptions {
  grid: GridShape;
  tileSync: TileSync;
  zeroCount: boolean;
  termEncoding: TermEncoding;
}

/** Every Laconic parameter (accelerators.md §0.4, §7) with its spec default. */
export const LACONIC_PARAMS: readonly ParamSpec[] = [
  ...GRID_PARAM_SPECS,
  {
    name: 'tileSync',
    type: 'enum',
    default: 'windowGroup',
    options: ['windowGroup', 'step'],
    description:
      'When tiles re-synchronise: once per window group (DNNsim f8935f0) or every step (DNNsim HEAD).',
  },
  {
    name: 'zeroCount',
    type: 'boolean',
    default: true,
    description: 'Potential counts a zero product as one term pair (f8935f0); cycles are unaffected.',
  },
  TERM_ENCODING_SPEC,
];

export function readLaconicOptions(params: Params, input: AccelLayerInput): LaconicOptions {
  const full = fillDefaults(LACONIC_PARAMS, params);
  const tileSync = full.tileSync;
  if (tileSync !== 'windowGroup' && tileSync !== 'step') {
    throw new RangeError(`parameter tileSync must be windowGroup or step, got ${String(tileSync)}`);
  }
  return {
    grid: readGrid(full, input),
    tileSync,
    zeroCount: boolParam(full, 'zeroCount'),
    termEncoding: encodingParam(full),
  };
}

export interface LaconicLayer {
  opts: LaconicOptions;
  prepared: PreparedShape;
  isFc: boolean;
  numCg: number;
  cPad: number;
  /** Steps per window group: (i, j, cg), i outer, cg inner. */
  steps: number;
  numWindows: number;
  /** Window groups (FC: 1, the single input vector). */
  numGroups: number;
  /** Blocks of `rows` filters (one tile each). */
  tileBlocks: number;
  filterSets: number;
  bases: Int32Array;
  /** Activation term counts of the prepared input, position-major [Nh·Nw][cPad]. */
  actTerms: Uint8Array;
  /** Per-(c, i, j) weight term sums of the original weights, when the layer was not transformed. */
  weightSums?: WeightTermSums;
  /** max over the group's windows of Ta: [group][steps][lanes]. */
  actMax: Uint8Array;
  /** max over the tile's filters of Tw: [tileBlock][steps][lanes]. */
  wgtMax: Uint8Array;
}

export function prepareLaconic(input: AccelLayerInput, opts: LaconicOptions): LaconicLayer {
  const { lanes, columns, rows } = opts.grid;
  const counts = termCountTable(opts.termEncoding);
  const {
    p,
    cPad,
    terms: actTerms,
  } = preparedTerms(input, opts.grid.spaceToDepth, lanes, counts, Uint8Array);
  const isFc = input.geometry.kind === 'fc';
  const numCg = cPad / lanes;
  const kernel = p.Kh * p.Kw;
  const steps = kernel * numCg;
  const numWindows = p.Oh * p.Ow;
  const numGroups = isFc ? 1 : cdiv(numWindows, columns);
  const bases = windowBases(p);
  const actMax = groupActivationMaxima(p, actTerms, bases, cPad, columns, numGroups);
  // Untransformed layers also collect the potential's weight sums in the same pass.
  const weightSums = p.transformed
    ? undefined
    : { sum: new Float64Array(p.C * kernel), nonZero: new Int32Array(p.C * kernel) };
  const wgtMax = weightMaxima(p.wgt, p.K, p.C, kernel, rows, cPad, counts, weightSums);

  return {
    opts,
    prepared: p,
    isFc,
    numCg,
    cPad,
    steps,
    numWindows,
    numGroups,
    tileBlocks: cdiv(p.K, rows),
    filterSets: cdiv(p.K, rows * opts.grid.tiles),
    bases,
    actTerms,
    weightSums,
    actMax,
    wgtMax,
  };
}

/** LPE step cost: max over the tile of T(a)·T(w), floored at 1 (an all-zero step still takes a cycle). */
export function stepCost(layer: LaconicLayer, group: number, tileBlock: number, step: number): number {
  const lanes = layer.opts.grid.lanes;
  const a = (group * layer.steps + step) * lanes;
  const w = (tileBlock * layer.steps + step) * lanes;
  let cost = 1;
  for (let l = 0; l < lanes; l++) {
    const pairs = layer.actMax[a + l] * layer.wgtMax[w + l];
    if (pairs > cost) cost = pairs;
  }
  return cost;
}

/**
 * Cycles of window group `group` in filter set `set` (§7.1). 'windowGroup': each tile runs its steps back to
 * back and tiles re-synchronise at the end of the group; 'step': all tiles wait for the slowest every step.
 * `tileTotals` (optional, length ≥ tiles) receives each tile's own busy cycles (−1 for an empty tile).
 */
export function groupCycles(
  layer: LaconicLayer,
  set: number,
  group: number,
  tileTotals?: Float64Array,
): number {
  const { lanes, tiles, rows } = layer.opts.grid;
  const K = layer.prepared.K;
  const { steps, actMax, wgtMax } = layer;
  const firstBlock = set * tiles;
  const activeTiles = Math.min(tiles, cdiv(K - firstBlock * rows, rows));
  const aGroup = group * steps * lanes;
  if (tileTotals) tileTotals.fill(-1, 0, tiles);
  if (layer.opts.tileSync === 'windowGroup' || tileTotals) {
    let slowest = 0;
    for (let t = 0; t < activeTiles; t++) {
      const wTile = (firstBlock + t) * steps * lanes;
      let total = 0;
      for (let s = 0; s < steps; s++) {
        const a = aGroup + s * lanes;
        const w = wTile + s * lanes;
        let cost = 1;
        for (let l = 0; l < lanes; l++) cost = Math.max(cost, actMax[a + l] * wgtMax[w + l]);
        total += cost;
      }
      if (tileTotals) tileTotals[t] = total;
      if (total > slowest) slowest = total;
    }
    if (layer.opts.tileSync === 'windowGroup') return slowest;
  }
  let cycles = 0;
  for (let s = 0; s < steps; s++) {
    const a = aGroup + s * lanes;
    let slowest = 1;
    for (let t = 0; t < activeTiles; t++) {
      const w = (firstBlock + t) * steps * lanes + s * lanes;
      for (let l = 0; l < lanes; l++) slowest = Math.max(slowest, actMax[a + l] * wgtMax[w + l]);
    }
    cycles += slowest;
  }
  return cycles;
}

export function convCycles(layer: LaconicLayer): number {
  let cycles = 0;
  for (let set = 0; set < layer.filterSets; set++) {
    for (let g = 0; g < layer.numGroups; g++) cycles += groupCycles(layer, set, g);
  }
  return cycles;
}

/** Sees every FC brick issue: filter set, tile, channel group, column, start cycle and cost. */
export type FcIssueObserver = (
  set: number,
  tile: number,
  cg: number,
  col: number,
  start: number,
  cost: number,
) => void;

/**
 * FC issue model (§7.2): per tile, bricks issued one per cycle round-robin over the columns, waiting for a
 * busy column; the column pointer is shared by all tiles (reference quirk) and nothing is reset between
 * filter sets.
 */
export function fcCycles(layer: LaconicLayer, observe?: FcIssueObserver): number {
  const { tiles, columns, rows } = layer.opts.grid;
  const K = layer.prepared.K;
  const colEnd = new Float64Array(tiles * columns);
  const issue = new Float64Array(tiles);
  let col = 0;
  for (let set = 0; set < layer.filterSets; set++) {
    for (let t = 0; t < tiles; t++) {
      const block = set * tiles + t;
      const empty = block * rows >= K;
      for (let cg = 0; cg < layer.numCg; cg++) {
        const slot = t * columns + col;
        if (issue[t] < colEnd[slot]) issue[t] = colEnd[slot];
        const cost = empty ? 0 : stepCost(layer, 0, block, cg);
        if (observe && !empty) observe(set, t, cg, col, issue[t], cost);
        colEnd[slot] = issue[t] + cost;
        issue[t]++;
        col = (col + 1) % columns;
      }
    }
  }
  let cycles = 0;
  for (let t = 0; t < tiles; t++) {
    cycles = Math.max(cycles, issue[t]);
    for (let c = 0; c < columns; c++) cycles = Math.max(cycles, colEnd[t * columns + c]);
  }
  return cycles;
}
