import { cdiv, layerMacs } from '../types';
import { brickIssueCycles, columnSync, runAheadRegisters, type RunAheadRegisters } from './columnSync';
import { prepareLayer } from './grid';
import type { GridConfig } from './gridParams';
import {
  boolParam,
  dadnGridCycles,
  gridGeometry,
  gridParamSpecs,
  intParam,
  networkWidth,
  preparedMap,
  readGrid,
  realSlots,
  type PreparedShape,
} from './gridParams';
import { makeResult, potentialOf, withDefaults } from './run';
import { stripesBitsPerMac } from './stripes';
import { allocateTrace, copyRow, fillPE, stateIndex } from './traceCanvas';
import { UnitState } from './types';
import type {
  AccelLayerInput,
  AcceleratorModel,
  LayerResult,
  Params,
  TileTrace,
  TraceRequest,
} from './types';
import { activationWidths } from './activationWidths';
import { costFromBits, valueHi, valueLo, withBrickCosts, ZERO_LO } from './widths';
import type { BrickBits } from './widths';

/** Everything the §5 walk needs, computed once per layer. */
interface DsLayer {
  grid: GridConfig;
  p: PreparedShape;
  leadingBit: boolean;
  R: number;
  pa: number;
  /** Windows per precision group (PG / lanes) and the number of column groups. */
  windowsPerGroup: number;
  columnGroups: number;
  bits: BrickBits;
  nWindows: number;
  windowGroups: number;
  /** Top-left padded position of window n (§1.5 order) and the offset of kernel slot (i, j). */
  windowBase: Int32Array;
  slotOffset: Int32Array;
  cgs: number;
  steps: number;
}

function readDs(params: Params) {
  const full = withDefaults(dstripes, params);
  const grid = readGrid(full);
  const pg = intParam(full, 'precisionGranularity');
  if (pg % grid.lanes !== 0)
    throw new RangeError(`dstripes: precisionGranularity ${pg} must be a multiple of lanes (${grid.lanes})`);
  return {
    grid,
    windowsPerGroup: pg / grid.lanes,
    leadingBit: boolParam(full, 'leadingBit'),
    R: intParam(full, 'columnRegisters', 0),
  };
}

function buildLayer(input: AccelLayerInput, params: Params): DsLayer {
  const { grid, windowsPerGroup, leadingBit, R } = readDs(params);
  const { p } = preparedMap(input, grid.spaceToDepth);
  const nWindows = p.Oh * p.Ow;
  const windowBase = new Int32Array(nWindows);
  for (let n = 0; n < nWindows; n++)
    windowBase[n] = p.stride * (n % p.Oh) * p.Nw + p.stride * Math.floor(n / p.Oh);
  const slotOffset = new Int32Array(p.Kh * p.Kw);
  for (let i = 0; i < p.Kh; i++) for (let j = 0; j < p.Kw; j++) slotOffset[i * p.Kw + j] = i * p.Nw + j;
  const cgs = cdiv(p.C, grid.lanes);
  return {
    grid,
    p,
    leadingBit,
    R,
    pa: input.pa,
    windowsPerGroup,
    columnGroups: cdiv(grid.columns, windowsPerGroup),
    bits: withBrickCosts(activationWidths(input, grid.spaceToDepth, grid.lanes).spans, leadingBit),
    nWindows,
    windowGroups: cdiv(nWindows, grid.columns),
    windowBase,
    slotOffset,
    cgs,
    steps: p.Kh * p.Kw * cgs,
  };
}

/** Per-step observer for traces: costs per column group, cum before the step and after its sync. */
type StepObserver = (step: number, costs: Uint8Array, before: Float64Array, after: Float64Array) => void;

/**
 * One window group through all (i, j, cg) steps (§5): each column group adds its groupCost, then the
 * columns synchronise (§6.3). Returns the stall total and the skipped bits per filter.
 */
function runWindowGroup(
  L: DsLayer,
  group: number,
  cum: Float64Array,
  E: RunAheadRegisters,
  observe?: StepObserver,
) {
  const { bits, windowBase, windowsPerGroup: wpg, columnGroups: ng, grid, pa } = L;
  const first = group * grid.columns;
  const count = Math.min(grid.columns, L.nWindows - first);
  const costs = new Uint8Array(ng);
  const before = observe ? new Float64Array(ng) : null;
  let stalls = 0;
  let skipped = 0;
  for (let step = 0; step < L.steps; step++) {
    const cgIdx = step % L.cgs;
    const off = cgIdx * bits.positions + L.slotOffset[Math.floor(step / L.cgs)];
    const lanesHere = Math.min(grid.lanes, L.p.C - cgIdx * grid.lanes);
    if (before) before.set(cum);
    for (let g = 0; g < ng; g++) {
      const w0 = g * wpg;
      if (w0 >= count) {
        costs[g] = 0;
        continue;
      }
      const w1 = Math.min(w0 + wpg, count);
      let cost: number;
      if (wpg === 1) cost = bits.cost[off + windowBase[first + w0]];
      else {
        let maxHi = 0;
        let minLo = ZERO_LO;
        for (let w = w0; w < w1; w++) {
          const k = off + windowBase[first + w];
          if (bits.maxHi[k] > maxHi) maxHi = bits.maxHi[k];
          if (bits.minLo[k] < minLo) minLo = bits.minLo[k];
        }
        cost = costFromBits(maxHi, minLo, L.leadingBit);
      }
      costs[g] = cost;
      cum[g] += cost;
      if (pa > cost) skipped += (pa - cost) * (w1 - w0) * lanesHere;
    }
    stalls += columnSync(cum, E, L.R);
    if (observe && before) observe(step, costs, before, cum);
  }
  return { stalls, skipped };
}

function maxOf(a: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) if (a[k] > m) m = a[k];
  return m;
}

/** FC (§6.4): bricks issued round-robin to the columns, each costing its groupCost. */
function fcBrickCosts(L: DsLayer): Uint8Array {
  const costs = new Uint8Array(L.cgs);
  for (let cgIdx = 0; cgIdx < L.cgs; cgIdx++) costs[cgIdx] = L.bits.cost[cgIdx * L.bits.positions];
  return costs;
}

/** Σ over MACs of the activation's own width (original geometry; padding has width 0). */
export function dstripesEffectualBits(input: AccelLayerInput, leadingBit: boolean, grid: GridConfig): number {
  const widths = activationWidths(input, grid.spaceToDepth, grid.lanes);
  return (leadingBit ? widths.coveredLeading : widths.coveredBoth) * input.geometry.K;
}

function simulateDstripes(input: AccelLayerInput, params: Params): LayerResult {
  const L = buildLayer(input, params);
  const { grid, p } = L;
  const filterSets = cdiv(p.K, grid.rows * grid.tiles);
  let cycles: number;
  let stalls = 0;
  let skippedPerFilter = 0;
  if (input.geometry.kind === 'fc') {
    const costs = fcBrickCosts(L);
    cycles = brickIssueCycles(costs, grid.columns, filterSets);
    for (let cgIdx = 0; cgIdx < L.cgs; cgIdx++)
      skippedPerFilter += Math.max(0, L.pa - costs[cgIdx]) * Math.min(grid.lanes, p.C - cgIdx * grid.lanes);
  } else {
    const cum = new Float64Array(L.columnGroups);
    const E = runAheadRegisters(L.R);
    for (let group = 0; group < L.windowGroups; group++) {
      const r = runWindowGroup(L, group, cum, E);
      stalls += r.stalls;
      skippedPerFilter += r.skipped;
    }
    cycles = maxOf(cum) * filterSets;
  }
  const macs = layerMacs(input.geometry);
  const wb = networkWidth(input, grid);
  const effectualWork = dstripesEffectualBits(input, L.leadingBit, grid);
  return makeResult({
    model: 'dstripes',
    layer: input.name,
    cycles,
    baselineCycles: dadnGridCycles(gridGeometry(input, grid.spaceToDepth), grid),
    macs,
    effectualWork,
    unit: 'bit',
    slotsPerCycle: grid.lanes * grid.columns * grid.rows * grid.tiles,
    // Skipped: per processed (window, filter, lane), the Pa - groupCost bits the dynamic group width saves
    // against Stripes at the layer precision (zero-weight slots of §1.4 included: the hardware sees them).
    skippedWork: skippedPerFilter * p.K,
    // DNNsim's potential is Stripes' (Pa * Wb); the dynamic version is in extra.
    potential: potentialOf(macs, wb, macs * stripesBitsPerMac(input.pa, wb)),
    stalls: { columnSync: stalls * filterSets },
    extra: { dynamicPotentialBits: effectualWork * wb },
  });
}

/** Per-lane state of a bit-serial step: is `bit` (0 = first processed) one of the value's own bits? */
function ownBit(v: number, bit: number, groupMinLo: number, leadingBit: boolean): boolean {
  if (v === 0) return false;
  if (leadingBit) return bit <= valueHi(v);
  const b = groupMinLo + bit;
  return b >= valueLo(v) && b <= valueHi(v);
}

/**
 * One tile = filters [fb*rows, fb*rows + rows) on window group windowBlock, replayed from synchronised
 * columns (fresh cum and run-ahead registers). In the layer run consecutive groups may overlap by the
 * run-ahead; with columnRegisters = 0 the groups' cycles add up exactly. A column works its step's cost
 * (bits processed LSB first, Effectual on its own bits) and is Idle until its synchronised finish.
 * FC (windowBlock 0): the brick issue schedule of one filter pass.
 */
function traceDstripes(input: AccelLayerInput, params: Params, request: TraceRequest): TileTrace {
  const L = buildLayer(input, params);
  const { grid, p } = L;
  const { filterBlock: fb, windowBlock: wbk } = request;
  if (!(fb >= 0 && fb < cdiv(p.K, grid.rows))) throw new RangeError(`trace: filterBlock ${fb} out of range`);
  const isFc = input.geometry.kind === 'fc';
  if (!(wbk >= 0 && wbk < (isFc ? 1 : L.windowGroups)))
    throw new RangeError(`trace: windowBlock ${wbk} out of range`);
  const activeRows = Math.min(grid.rows, p.K - fb * grid.rows);
  const real = realSlots(input, gridGeometry(input, grid.spaceToDepth));
  const layout = { peRows: grid.rows, peCols: grid.columns, unitsPerPE: grid.lanes };
  const positions = L.bits.positions;
  const act = prepareLayer(input, grid.spaceToDepth).act;

  /** Paints column `col`'s lanes for one step of cost `cost` starting at `start` (row 0 only). */
  const paint = (
    t: TileTrace,
    col: number,
    start: number,
    cost: number,
    cgIdx: number,
    slot: number,
    minLo: number,
    pos: number,
  ) => {
    const cg = cgIdx * grid.lanes;
    for (let l = 0; l < grid.lanes; l++) {
      const c = cg + l;
      const isReal = c < p.C && (real === null || real[c * p.Kh * p.Kw + slot] === 1);
      const v = c < p.C ? act[c * positions + pos] : 0;
      for (let bit = 0; bit < cost && start + bit < t.storedCycles; bit++) {
        const state =
          c >= p.C
            ? UnitState.Inactive
            : isReal && ownBit(v, bit, minLo, L.leadingBit)
              ? UnitState.Effectual
              : UnitState.Ineffectual;
        t.states[stateIndex(t, start + bit, 0, col, l)] = state;
      }
    }
    if (start < t.storedCycles)
      t.skippedPerCycle[start] += Math.max(0, L.pa - cost) * Math.min(grid.lanes, p.C - cg) * activeRows;
  };

  let t: TileTrace;
  if (isFc) {
    const costs = fcBrickCosts(L);
    t = allocateTrace(
      'dstripes',
      input.name,
      request,
      layout,
      brickIssueCycles(costs, grid.columns, 1),
      'bit',
    );
    for (let c = 0; c < grid.columns; c++) fillPE(t, 0, c, 0, t.cycles, UnitState.Idle);
    brickIssueCycles(costs, grid.columns, 1, (brick, col, start, cost) =>
      paint(t, col, start, cost, brick, 0, L.bits.minLo[brick * positions], 0),
    );
  } else {
    const first = wbk * grid.columns;
    const count = Math.min(grid.columns, L.nWindows - first);
    const dry = new Float64Array(L.columnGroups);
    runWindowGroup(L, wbk, dry, runAheadRegisters(L.R));
    t = allocateTrace('dstripes', input.name, request, layout, maxOf(dry), 'bit', true);
    const progress = t.columnProgress as Int32Array;
    for (let c = 0; c < count; c++) fillPE(t, 0, c, 0, t.cycles, UnitState.Idle);
    runWindowGroup(
      L,
      wbk,
      new Float64Array(L.columnGroups),
      runAheadRegisters(L.R),
      (step, costs, before, after) => {
        const cgIdx = step % L.cgs;
        const slot = Math.floor(step / L.cgs);
        const off = cgIdx * positions + L.slotOffset[slot];
        for (let c = 0; c < count; c++) {
          const g = Math.floor(c / L.windowsPerGroup);
          let minLo = ZERO_LO;
          for (let w = g * L.windowsPerGroup; w < Math.min((g + 1) * L.windowsPerGroup, count); w++)
            minLo = Math.min(minLo, L.bits.minLo[off + L.windowBase[first + w]]);
          const pos = off - cgIdx * positions + L.windowBase[first + c];
          paint(t, c, before[g], costs[g], cgIdx, slot, minLo, pos);
          for (let cycle = before[g]; cycle < Math.min(after[g], t.storedCycles); cycle++)
            progress[cycle * grid.columns + c] = step;
        }
      },
    );
    for (let c = 0; c < count; c++) {
      const done = dry[Math.floor(c / L.windowsPerGroup)];
      for (let cycle = done; cycle < t.storedCycles; cycle++) progress[cycle * grid.columns + c] = L.steps;
    }
  }
  for (let r = 1; r < activeRows; r++) copyRow(t, 0, r);
  return t;
}

export const dstripes: AcceleratorModel = {
  id: 'dstripes',
  name: 'Dynamic Stripes',
  summary:
    'Stripes with the activation width detected per group at run time: leading (and trailing) zero bits skipped',
  params: [
    ...gridParamSpecs(true),
    {
      name: 'precisionGranularity',
      type: 'int',
      default: 16,
      min: 16,
      max: 256,
      description: 'Activations per precision group (a multiple of lanes; 16 = one brick = one column)',
    },
    {
      name: 'leadingBit',
      type: 'boolean',
      default: true,
      description: 'Trim only leading zero bits (false: both ends)',
    },
    {
      name: 'columnRegisters',
      type: 'int',
      default: 1,
      min: 0,
      max: 16,
      description: 'Run-ahead registers R (0 = lock-step)',
    },
  ],
  appliesTo: () => true,
  simulate: simulateDstripes,
  trace: traceDstripes,
};
