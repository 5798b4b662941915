/**
 * Cnvlutin (accelerators.md §9): DaDN's 16 input lanes of every tile become 16 independent subunits that
 * stream only the non-zero activations of their channel slice, one per cycle, in fragments of F elements.
 * No §1.4 transform; subunits re-synchronise at every window, and all tiles share one window at a time
 */
import { cdiv, layerMacs } from '../types';
import { dadnCycles, LANES, padActivations, ROWS, TILES } from './grid';
import { cnvlutinWindowTotals } from './cnvlutinCounts';
import { makeResult, withDefaults } from './run';
import { nonZeroMask, readEnum, readInt } from './sparseParams';
import { TraceBuffer } from './traceBuffer';
import { UnitState } from './types';
import type {
  AccelLayerInput,
  AcceleratorModel,
  LayerResult,
  ParamSpec,
  Params,
  TileTrace,
  TraceRequest,
} from './types';

export type CnvlutinSlicing = 'contiguous' | 'interleaved';

const SUBUNITS = LANES;
const FILTERS_PER_SET = ROWS * TILES;

export const CNVLUTIN_PARAMS: readonly ParamSpec[] = [
  {
    name: 'slicing',
    type: 'enum',
    default: 'contiguous',
    options: ['contiguous', 'interleaved'],
    description:
      'Channels of subunit u: contiguous [floor(uC/16), floor((u+1)C/16)) or interleaved (c mod 16 = u)',
  },
  {
    name: 'fragment',
    type: 'int',
    default: 16,
    min: 1,
    max: 4096,
    description: 'Fragment length F (elements of the slice)',
  },
  {
    name: 'emptyFragmentCycles',
    type: 'int',
    default: 1,
    min: 0,
    max: 64,
    description: 'Cycles an all-zero fragment still costs',
  },
  {
    name: 'threshold',
    type: 'int',
    default: 0,
    min: 0,
    max: 32767,
    description: 'Loosened criterion: |a| <= threshold counts as zero',
  },
];

/** One layer as Cnvlutin sees it: padded activation mask in [h][w][c] order and each subunit's channels. */
export interface CnvlutinLayer {
  C: number;
  Nw: number;
  K: number;
  Kh: number;
  Kw: number;
  stride: number;
  Oh: number;
  Ow: number;
  /** 1 = effectual (|a| > threshold), [Nh][Nw][C]. */
  mask: Uint8Array;
  /** Channels of subunit u: sliceChannels[sliceStart[u] .. sliceStart[u + 1]). */
  sliceStart: Int32Array;
  sliceChannels: Int32Array;
  fragment: number;
  emptyFragmentCycles: number;
  filterSets: number;
}

/** Everything of a Cnvlutin layer but the activation mask. */
export type CnvlutinShape = Omit<CnvlutinLayer, 'mask'>;

export function cnvlutinShape(input: AccelLayerInput, params: Params): CnvlutinShape {
  const g = input.geometry;
  const slicing = readEnum<CnvlutinSlicing>(CNVLUTIN_PARAMS, params, 'slicing');
  const Nh = g.H + 2 * g.pad;
  const Nw = g.W + 2 * g.pad;
  const sliceStart = new Int32Array(SUBUNITS + 1);
  const sliceChannels = new Int32Array(g.C);
  let at = 0;
  for (let u = 0; u < SUBUNITS; u++) {
    sliceStart[u] = at;
    if (slicing === 'contiguous') {
      for (let c = Math.floor((u * g.C) / SUBUNITS); c < Math.floor(((u + 1) * g.C) / SUBUNITS); c++)
        sliceChannels[at++] = c;
    } else {
      for (let c = u; c < g.C; c += SUBUNITS) sliceChannels[at++] = c;
    }
  }
  sliceStart[SUBUNITS] = at;
  return {
    C: g.C,
    Nw,
    K: g.K,
    Kh: g.Kh,
    Kw: g.Kw,
    stride: g.stride,
    Oh: Math.floor((Nh - g.Kh) / g.stride) + 1,
    Ow: Math.floor((Nw - g.Kw) / g.stride) + 1,
    sliceStart,
    sliceChannels,
    fragment: readInt(CNVLUTIN_PARAMS, params, 'fragment'),
    emptyFragmentCycles: readInt(CNVLUTIN_PARAMS, params, 'emptyFragmentCycles'),
    filterSets: cdiv(g.K, FILTERS_PER_SET),
  };
}

export function prepareCnvlutin(input: AccelLayerInput, params: Params): CnvlutinLayer {
  const g = input.geometry;
  const threshold = readInt(CNVLUTIN_PARAMS, params, 'threshold');
  const shape = cnvlutinShape(input, params);
  const Nh = g.H + 2 * g.pad;
  const chw = nonZeroMask(padActivations(input.act, g.C, g.H, g.W, g.pad), threshold);
  const mask = new Uint8Array(chw.length);
  const plane = Nh * shape.Nw;
  for (let c = 0; c < g.C; c++) for (let p = 0; p < plane; p++) mask[p * g.C + c] = chw[c * plane + p];
  return { ...shape, mask };
}

/**
 * Cycles subunit u needs for window n (§9): its slice of the window in (i, j, c) order, cut into fragments of
 * F elements; a fragment costs its non-zero count, or emptyFragmentCycles when it has none. `visit` receives
 * every fragment (length, non-zeros) in order: the trace replays exactly what the cycle count sums.
 */
export function subunitCost(
  L: CnvlutinLayer,
  n: number,
  u: number,
  visit?: (length: number, nonZeros: number) => void,
): number {
  const c0 = L.sliceStart[u];
  const c1 = L.sliceStart[u + 1];
  if (c1 === c0) return 0;
  const oh = n % L.Oh;
  const ow = Math.floor(n / L.Oh);
  const { mask, sliceChannels: chans, fragment: F, emptyFragmentCycles: E, C } = L;
  let cost = 0;
  let filled = 0;
  let nnz = 0;
  for (let i = 0; i < L.Kh; i++) {
    const rowBase = (L.stride * oh + i) * L.Nw + L.stride * ow;
    for (let j = 0; j < L.Kw; j++) {
      const base = (rowBase + j) * C;
      for (let t = c0; t < c1; t++) {
        nnz += mask[base + chans[t]];
        if (++filled === F) {
          cost += nnz > 0 ? nnz : E;
          if (visit) visit(filled, nnz);
          filled = 0;
          nnz = 0;
        }
      }
    }
  }
  if (filled > 0) {
    cost += nnz > 0 ? nnz : E;
    if (visit) visit(filled, nnz);
  }
  return cost;
}

/** Cycles of window n for one filter set: the slowest subunit. */
export function windowCycles(L: CnvlutinLayer, n: number): number {
  let worst = 0;
  for (let u = 0; u < SUBUNITS; u++) worst = Math.max(worst, subunitCost(L, n, u));
  return worst;
}

function maxSliceLength(L: CnvlutinShape): number {
  let m = 0;
  for (let u = 0; u < SUBUNITS; u++) m = Math.max(m, L.sliceStart[u + 1] - L.sliceStart[u]);
  return m;
}

function simulateCnvlutin(input: AccelLayerInput, params: Params): LayerResult {
  const full = withDefaults(cnvlutin, params);
  const L = cnvlutinShape(input, full);
  const windows = L.Oh * L.Ow;
  const perSet = cnvlutinWindowTotals(input, L, readInt(CNVLUTIN_PARAMS, full, 'threshold'));
  const cycles = perSet.cycles * L.filterSets;
  const balanced = perSet.balanced * L.filterSets;
  const nonZeros = perSet.nonZeros;
  const denseCycles = windows * L.Kh * L.Kw * maxSliceLength(L) * L.filterSets;
  const macs = layerMacs(input.geometry);
  const effectualWork = L.K * nonZeros;
  return makeResult({
    model: 'cnvlutin',
    layer: input.name,
    cycles,
    baselineCycles: denseCycles,
    macs,
    effectualWork,
    unit: 'mac',
    slotsPerCycle: FILTERS_PER_SET * SUBUNITS,
    skippedWork: macs - effectualWork,
    stalls: { subunitImbalance: cycles - balanced },
    extra: {
      denseCycles,
      dadnCycles: dadnCycles(input, true),
      idealSpeedup: macs / Math.max(effectualWork, 1),
    },
  });
}

/**
 * One tile = one filter set (filterBlock) on one window (windowBlock, §1.5 order). Drawn as 16 tiles (rows) ×
 * 16 subunits (columns) × 16 filters (units). A subunit is Effectual while it multiplies a non-zero
 * activation, Ineffectual during the cycles an all-zero fragment still costs, Idle once done (waiting for the
 * slowest subunit); units of filters past K, and subunits with an empty slice, are Inactive. The zero
 * activations of a fragment are counted as skipped (× active filters) on the fragment's first cycle.
 */
function traceCnvlutin(input: AccelLayerInput, params: Params, request: TraceRequest): TileTrace {
  const L = prepareCnvlutin(input, withDefaults(cnvlutin, params));
  const { filterBlock: fs, windowBlock: n } = request;
  if (!(Number.isInteger(fs) && fs >= 0 && fs < L.filterSets))
    throw new RangeError(`trace: filterBlock ${fs} out of range`);
  if (!(Number.isInteger(n) && n >= 0 && n < L.Oh * L.Ow))
    throw new RangeError(`trace: windowBlock ${n} out of range`);
  const cycles = windowCycles(L, n);
  const buf = new TraceBuffer(cycles, request.maxCycles, TILES, SUBUNITS, ROWS);
  const activeFilters = Math.min(FILTERS_PER_SET, L.K - fs * FILTERS_PER_SET);
  for (let u = 0; u < SUBUNITS; u++) {
    let t = 0;
    subunitCost(L, n, u, (length, nonZeros) => {
      if (cycles > 0) buf.addSkipped(Math.min(t, cycles - 1), (length - nonZeros) * activeFilters);
      const span = nonZeros > 0 ? nonZeros : L.emptyFragmentCycles;
      markSubunit(
        buf,
        u,
        activeFilters,
        t,
        t + span,
        nonZeros > 0 ? UnitState.Effectual : UnitState.Ineffectual,
      );
      t += span;
    });
    if (L.sliceStart[u + 1] > L.sliceStart[u]) markSubunit(buf, u, activeFilters, t, cycles, UnitState.Idle);
  }
  return {
    model: 'cnvlutin',
    layer: input.name,
    filterBlock: fs,
    windowBlock: n,
    peRows: TILES,
    peCols: SUBUNITS,
    unitsPerPE: ROWS,
    cycles,
    storedCycles: buf.storedCycles,
    states: buf.states,
    skippedPerCycle: buf.skippedPerCycle,
    notes: [
      `window ${n} = output (${n % L.Oh}, ${Math.floor(n / L.Oh)}); filters ${fs * FILTERS_PER_SET}..${fs * FILTERS_PER_SET + activeFilters - 1}`,
      'rows = tiles (16 filters each), columns = subunits (one channel slice each), units = filters of the tile',
    ],
    unit: 'mac',
  };
}

/** Sets subunit u of every tile: lanes of real filters get `state`, the rest stay Inactive. */
function markSubunit(
  buf: TraceBuffer,
  u: number,
  activeFilters: number,
  from: number,
  to: number,
  state: UnitState,
): void {
  for (let tile = 0; tile < TILES; tile++) {
    const lanes = Math.max(0, Math.min(ROWS, activeFilters - tile * ROWS));
    if (lanes > 0) buf.fill(tile, u, 0, lanes, from, to, state);
  }
}

export const cnvlutin: AcceleratorModel = {
  id: 'cnvlutin',
  name: 'Cnvlutin',
  summary:
    'Skips zero activations: 16 decoupled subunits per tile stream only the non-zero activations of their channel slice.',
  params: CNVLUTIN_PARAMS,
  appliesTo: () => true,
  simulate: simulateCnvlutin,
  trace: traceCnvlutin,
};
