import { cdiv, layerMacs } from '../types';
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
import { allocateTrace, fillPE, stateIndex } from './traceCanvas';
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
import { costFromBits, valueHi, valueLo, valueWidth, withBrickCosts, ZERO_LO } from './widths';
import type { BrickBits } from './widths';
import { filterSums, widthMeasure, windowSums } from './windowSums';

/** Loom potential (§8): Pa x Pw bit products per MAC. */
export function loomBitsPerMac(pa: number, pw: number): number {
  return pa * pw;
}

interface LoomLayer {
  grid: GridConfig;
  p: PreparedShape;
  leadingBit: boolean;
  dynamicWeights: boolean;
  psb: number;
  pa: number;
  pw: number;
  /** Windows per activation precision group, filters per weight precision group (both PG / lanes). */
  groupSpan: number;
  act: BrickBits;
  /** dynamicWeights: weight cycles of filter row block fb at step (ij, cg): index (fb * KhKw + ij) * cgs + cg. */
  wgtCycles: Uint8Array | null;
  rowBlocks: number;
  nWindows: number;
  windowGroups: number;
  windowBase: Int32Array;
  slotOffset: Int32Array;
  cgs: number;
  steps: number;
  filterSets: number;
}

function buildLayer(input: AccelLayerInput, params: Params): LoomLayer {
  const full = withDefaults(loom, params);
  const grid = readGrid(full);
  const pg = intParam(full, 'precisionGranularity');
  if (pg % grid.lanes !== 0)
    throw new RangeError(`loom: precisionGranularity ${pg} must be a multiple of lanes (${grid.lanes})`);
  const groupSpan = pg / grid.lanes;
  const leadingBit = boolParam(full, 'leadingBit');
  const dynamicWeights = boolParam(full, 'dynamicWeights');
  const { p } = preparedMap(input, grid.spaceToDepth);
  const nWindows = p.Oh * p.Ow;
  const windowBase = new Int32Array(nWindows);
  for (let n = 0; n < nWindows; n++)
    windowBase[n] = p.stride * (n % p.Oh) * p.Nw + p.stride * Math.floor(n / p.Oh);
  const slotOffset = new Int32Array(p.Kh * p.Kw);
  for (let i = 0; i < p.Kh; i++) for (let j = 0; j < p.Kw; j++) slotOffset[i * p.Kw + j] = i * p.Nw + j;
  const cgs = cdiv(p.C, grid.lanes);
  const rowBlocks = cdiv(p.K, grid.rows);
  return {
    grid,
    p,
    leadingBit,
    dynamicWeights,
    psb: intParam(full, 'peSerialBits'),
    pa: input.pa,
    pw: input.pw,
    groupSpan,
    act: withBrickCosts(activationWidths(input, grid.spaceToDepth, grid.lanes).spans, leadingBit),
    wgtCycles: dynamicWeights ? weightCycles(p, grid, groupSpan, leadingBit, cgs, rowBlocks) : null,
    rowBlocks,
    nWindows,
    windowGroups: cdiv(nWindows, grid.columns),
    windowBase,
    slotOffset,
    cgs,
    steps: p.Kh * p.Kw * cgs,
    filterSets: cdiv(p.K, grid.rows * grid.tiles),
  };
}

/**
 * §8 wgtCycles with dynamic weights: for each row block, slot and brick, the max over the block's row groups
 * (span filters each) of the group's groupCost. One pass over the weights.
 */
function weightCycles(
  p: PreparedShape,
  grid: GridConfig,
  span: number,
  leadingBit: boolean,
  cgs: number,
  rowBlocks: number,
) {
  const slots = p.Kh * p.Kw;
  const out = new Uint8Array(rowBlocks * slots * cgs);
  const maxHi = new Uint8Array(slots * cgs);
  const minLo = new Uint8Array(slots * cgs);
  for (let fb = 0; fb < rowBlocks; fb++) {
    const f1 = Math.min((fb + 1) * grid.rows, p.K);
    const block = out.subarray(fb * slots * cgs, (fb + 1) * slots * cgs);
    for (let g0 = fb * grid.rows; g0 < f1; g0 += span) {
      maxHi.fill(0);
      minLo.fill(ZERO_LO);
      for (let f = g0; f < Math.min(g0 + span, f1); f++)
        for (let c = 0; c < p.C; c++) {
          const src = (f * p.C + c) * slots;
          const cg = Math.floor(c / grid.lanes);
          for (let ij = 0; ij < slots; ij++) {
            const v = p.wgt[src + ij];
            if (v === 0) continue;
            const k = ij * cgs + cg;
            const hi = valueHi(v);
            const lo = valueLo(v);
            if (hi > maxHi[k]) maxHi[k] = hi;
            if (lo < minLo[k]) minLo[k] = lo;
          }
        }
      for (let k = 0; k < block.length; k++) {
        const cost = costFromBits(maxHi[k], minLo[k], leadingBit);
        if (cost > block[k]) block[k] = cost;
      }
    }
  }
  return out;
}

/** actWidth of every step of one window group: max over its activation groups of their groupCost. */
function groupActWidths(L: LoomLayer, group: number): { widths: Uint8Array; count: number } {
  const { act, windowBase, groupSpan, grid } = L;
  const first = group * grid.columns;
  const count = Math.min(grid.columns, L.nWindows - first);
  const widths = new Uint8Array(L.steps);
  for (let step = 0; step < L.steps; step++) {
    const cg = step % L.cgs;
    const off = cg * act.positions + L.slotOffset[Math.floor(step / L.cgs)];
    let worst = 0;
    for (let w0 = 0; w0 < count; w0 += groupSpan) {
      let cost: number;
      if (groupSpan === 1) cost = act.cost[off + windowBase[first + w0]];
      else {
        let maxHi = 0;
        let minLo = ZERO_LO;
        for (let w = w0; w < Math.min(w0 + groupSpan, count); w++) {
          const k = off + windowBase[first + w];
          if (act.maxHi[k] > maxHi) maxHi = act.maxHi[k];
          if (act.minLo[k] < minLo) minLo = act.minLo[k];
        }
        cost = costFromBits(maxHi, minLo, L.leadingBit);
      }
      if (cost > worst) worst = cost;
    }
    widths[step] = worst;
  }
  return { widths, count };
}

function stepWeightCycles(L: LoomLayer, fb: number, step: number): number {
  if (!L.wgtCycles) return L.pw;
  const cg = step % L.cgs;
  return L.wgtCycles[(fb * L.p.Kh * L.p.Kw + Math.floor(step / L.cgs)) * L.cgs + cg];
}

/** Cycles of tile fb over one window group's steps (its tileAcc of §7.1). */
function tileCycles(L: LoomLayer, fb: number, widths: Uint8Array): number {
  let acc = 0;
  for (let step = 0; step < L.steps; step++) acc += stepWeightCycles(L, fb, step) * cdiv(widths[step], L.psb);
  return acc;
}

function lanesAt(L: LoomLayer, cg: number): number {
  return Math.min(L.grid.lanes, L.p.C - cg * L.grid.lanes);
}

function filtersIn(L: LoomLayer, fb: number): number {
  return Math.max(0, Math.min(L.grid.rows, L.p.K - fb * L.grid.rows));
}

/** Bit products one (window, filter) of tile fb skips over a window group: Pa*Pw minus the widths run at. */
function skippedPerPair(L: LoomLayer, fb: number, widths: Uint8Array): number {
  let s = 0;
  const dense = L.pa * L.pw;
  for (let step = 0; step < L.steps; step++) {
    const ran = widths[step] * stepWeightCycles(L, fb, step);
    if (dense > ran) s += (dense - ran) * lanesAt(L, step % L.cgs);
  }
  return s;
}

/** Bit products skipped by one tile over one window group. */
function tileSkipped(L: LoomLayer, fb: number, widths: Uint8Array, windows: number): number {
  return skippedPerPair(L, fb, widths) * windows * filtersIn(L, fb);
}

/** Laconic-grid conv walk (§7.1 with the §8 step): tiles re-synchronise once per window group. */
function convCycles(L: LoomLayer): { cycles: number; skipped: number } {
  let cycles = 0;
  let skipped = 0;
  const { tiles } = L.grid;
  for (let group = 0; group < L.windowGroups; group++) {
    const { widths, count } = groupActWidths(L, group);
    if (!L.dynamicWeights) {
      // Every tile runs the same steps; its filters add up to K over the row blocks (integer sums, exact).
      cycles += L.filterSets * tileCycles(L, 0, widths);
      skipped += skippedPerPair(L, 0, widths) * count * L.p.K;
      continue;
    }
    for (let m = 0; m < L.filterSets; m++) {
      let worst = 0;
      for (let t = 0; t < tiles && m * tiles + t < L.rowBlocks; t++) {
        worst = Math.max(worst, tileCycles(L, m * tiles + t, widths));
        skipped += tileSkipped(L, m * tiles + t, widths, count);
      }
      cycles += worst;
    }
  }
  return { cycles, skipped };
}

/**
 * FC [reconstruction]: Laconic's FC issue model (§7.2) with the §8 step cost per (tile, brick): items
 * issued round-robin to the columns with one column pointer shared by all tiles.
 */
function fcCycles(L: LoomLayer) {
  const { tiles, columns } = L.grid;
  const colEnd = new Float64Array(tiles * columns);
  const issue = new Float64Array(tiles);
  let col = 0;
  let skipped = 0;
  for (let m = 0; m < L.filterSets; m++)
    for (let t = 0; t < tiles; t++) {
      const fb = m * tiles + t;
      for (let cg = 0; cg < L.cgs; cg++) {
        const slot = t * columns + col;
        if (issue[t] < colEnd[slot]) issue[t] = colEnd[slot];
        let cost = 0;
        if (fb < L.rowBlocks) {
          const width = L.act.cost[cg];
          const wc = stepWeightCycles(L, fb, cg);
          cost = wc * cdiv(width, L.psb);
          if (L.pa * L.pw > width * wc)
            skipped += (L.pa * L.pw - width * wc) * lanesAt(L, cg) * filtersIn(L, fb);
        }
        colEnd[slot] = issue[t] + cost;
        issue[t]++;
        col = (col + 1) % columns;
      }
    }
  let cycles = 0;
  for (let t = 0; t < tiles; t++) {
    cycles = Math.max(cycles, issue[t]);
    for (let c = 0; c < columns; c++) cycles = Math.max(cycles, colEnd[t * columns + c]);
  }
  return { cycles, skipped };
}

/** Σ over MACs of width(a) * (dynamicWeights ? width(w) : Pw), original geometry. */
export function loomEffectualBits(input: AccelLayerInput, L: LoomLayer): number {
  // Static weights: every slot has the same factor Pw·K (integer sums, so factoring it out is exact).
  if (!L.dynamicWeights) {
    const widths = activationWidths(input, L.grid.spaceToDepth, L.grid.lanes);
    return (L.leadingBit ? widths.coveredLeading : widths.coveredBoth) * input.pw * input.geometry.K;
  }
  const measure = widthMeasure(L.leadingBit);
  const a = windowSums(input, measure);
  const w = filterSums(input, measure);
  let total = 0;
  for (let q = 0; q < a.length; q++) total += a[q] * w[q];
  return total;
}

function simulateLoom(input: AccelLayerInput, params: Params): LayerResult {
  const L = buildLayer(input, params);
  const { cycles, skipped } = input.geometry.kind === 'fc' ? fcCycles(L) : convCycles(L);
  const macs = layerMacs(input.geometry);
  const wb = networkWidth(input, L.grid);
  return makeResult({
    model: 'loom',
    layer: input.name,
    cycles,
    baselineCycles: dadnGridCycles(gridGeometry(input, L.grid.spaceToDepth), L.grid),
    macs,
    effectualWork: loomEffectualBits(input, L),
    unit: 'bitProduct',
    slotsPerCycle: L.grid.lanes * L.grid.columns * L.grid.rows * L.grid.tiles * L.psb,
    // Skipped: per processed (window, filter, lane), the Pa*Pw bit products minus those of the widths the
    // step ran at (activation group width x weight cycles); zero-weight slots of §1.4 included.
    skippedWork: skipped,
    potential: potentialOf(macs, wb, macs * loomBitsPerMac(input.pa, input.pw)),
  });
}

/**
 * One tile = filters [fb*rows, fb*rows + rows) (tile fb % tiles of filter set fb / tiles) on window group
 * windowBlock. Steps run back to back (weight bit outer, activation chunk inner); a lane is Effectual while
 * both the weight bit and the activation chunk are inside its own widths (drawn LSB-aligned), then the tile
 * is Idle until the slowest tile of its filter set ends the group. FC: this tile's items of the §7.2
 * issue schedule, replayed with its own issue clock from 0.
 */
function traceLoom(input: AccelLayerInput, params: Params, request: TraceRequest): TileTrace {
  const L = buildLayer(input, params);
  const { grid, p } = L;
  const { filterBlock: fb, windowBlock: wbk } = request;
  if (!(fb >= 0 && fb < L.rowBlocks)) throw new RangeError(`trace: filterBlock ${fb} out of range`);
  const isFc = input.geometry.kind === 'fc';
  if (!(wbk >= 0 && wbk < (isFc ? 1 : L.windowGroups)))
    throw new RangeError(`trace: windowBlock ${wbk} out of range`);
  const rows = filtersIn(L, fb);
  const real = realSlots(input, gridGeometry(input, grid.spaceToDepth));
  const positions = p.Nh * p.Nw;
  const act = prepareLayer(input, grid.spaceToDepth).act;
  const slots = p.Kh * p.Kw;
  const layout = { peRows: grid.rows, peCols: grid.columns, unitsPerPE: grid.lanes };

  const paint = (t: TileTrace, col: number, start: number, step: number, width: number, pos: number) => {
    const cg = step % L.cgs;
    const slot = Math.floor(step / L.cgs);
    const wc = stepWeightCycles(L, fb, step);
    const chunks = cdiv(width, L.psb);
    const cost = wc * chunks;
    const perCycle = t.peRows * t.peCols * t.unitsPerPE;
    const last = Math.min(cost, t.storedCycles - start);
    for (let l = 0; l < grid.lanes; l++) {
      const c = cg * grid.lanes + l;
      if (c >= p.C) continue;
      const isReal = real === null || real[c * slots + slot] === 1;
      const aOwn = isReal ? cdiv(valueWidth(act[c * positions + pos], L.leadingBit), L.psb) : 0;
      for (let r = 0; r < rows; r++) {
        const wOwn = L.dynamicWeights
          ? valueWidth(p.wgt[((fb * grid.rows + r) * p.C + c) * slots + slot], L.leadingBit)
          : L.pw;
        let k = stateIndex(t, start, r, col, l);
        for (let q = 0; q < last; q++, k += perCycle)
          t.states[k] =
            Math.floor(q / chunks) < wOwn && q % chunks < aOwn ? UnitState.Effectual : UnitState.Ineffectual;
      }
    }
    const dense = L.pa * L.pw;
    if (start < t.storedCycles && dense > width * wc)
      t.skippedPerCycle[start] += (dense - width * wc) * lanesAt(L, cg) * rows;
    return cost;
  };

  if (isFc) {
    const colEnd = new Float64Array(grid.columns);
    let issue = 0;
    const starts = Array.from({ length: L.cgs }, (_, brick) => {
      const col = brick % grid.columns;
      if (issue < colEnd[col]) issue = colEnd[col];
      const start = issue;
      colEnd[col] = start + stepWeightCycles(L, fb, brick) * cdiv(L.act.cost[brick], L.psb);
      issue++;
      return start;
    });
    const cycles = Math.max(issue, ...colEnd);
    const t = allocateTrace('loom', input.name, request, layout, cycles, 'bitProduct');
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < grid.columns; c++) fillPE(t, r, c, 0, cycles, UnitState.Idle);
    starts.forEach((start, brick) => paint(t, brick % grid.columns, start, brick, L.act.cost[brick], 0));
    return t;
  }

  const { widths, count } = groupActWidths(L, wbk);
  const m = Math.floor(fb / grid.tiles);
  let groupCycles = 0;
  for (let t = 0; t < grid.tiles && m * grid.tiles + t < L.rowBlocks; t++)
    groupCycles = Math.max(groupCycles, tileCycles(L, m * grid.tiles + t, widths));
  const t = allocateTrace('loom', input.name, request, layout, groupCycles, 'bitProduct');
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < count; c++) fillPE(t, r, c, 0, groupCycles, UnitState.Idle);
  let start = 0;
  for (let step = 0; step < L.steps; step++) {
    const base = (step % L.cgs) * positions + L.slotOffset[Math.floor(step / L.cgs)];
    let cost = 0;
    for (let c = 0; c < count; c++) {
      const pos = base - (step % L.cgs) * positions + L.windowBase[wbk * grid.columns + c];
      cost = paint(t, c, start, step, widths[step], pos);
    }
    start += cost;
  }
  return t;
}

export const loom: AcceleratorModel = {
  id: 'loom',
  name: 'Loom (DNNsim-style)',
  summary: 'Both operands bit-serial: step time = weight cycles x activation group width',
  params: [
    ...gridParamSpecs(true),
    {
      name: 'precisionGranularity',
      type: 'int',
      default: 16,
      min: 16,
      max: 256,
      description: 'Values per precision group (a multiple of lanes; 16 = one brick)',
    },
    {
      name: 'peSerialBits',
      type: 'int',
      default: 1,
      min: 1,
      max: 16,
      description: 'Activation bits a PE consumes per cycle',
    },
    {
      name: 'dynamicWeights',
      type: 'boolean',
      default: false,
      description: 'Detect weight widths per row group at run time',
    },
    {
      name: 'leadingBit',
      type: 'boolean',
      default: false,
      description: 'Trim only leading zero bits (false: both ends)',
    },
  ],
  appliesTo: () => true,
  simulate: simulateLoom,
  trace: traceLoom,
};
