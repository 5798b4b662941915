import { cdiv, layerMacs } from '../types';
import { brickIssueCycles } from './columnSync';
import type { GridConfig, GridGeometry } from './gridParams';
import {
  dadnGridCycles,
  gridGeometry,
  gridParamSpecs,
  intParam,
  networkWidth,
  readGrid,
  realSlots,
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

/** How Stripes maps one layer's precisions onto the grid (§4). */
export interface StripesPlan {
  colsPerAct: number;
  rowsPerWgt: number;
  windowsPerTile: number;
  filtersPerPass: number;
  stepCost: number;
}

export function stripesPlan(pa: number, pw: number, bitsPe: number, grid: GridConfig): StripesPlan {
  const colsPerAct = cdiv(pa, bitsPe);
  const rowsPerWgt = cdiv(pw, bitsPe);
  const windowsPerTile = Math.floor(grid.columns / colsPerAct);
  const filtersPerPass = Math.floor((grid.rows * grid.tiles) / rowsPerWgt);
  if (windowsPerTile < 1 || filtersPerPass < 1)
    throw new RangeError(`stripes: bitsPe ${bitsPe} too small for Pa ${pa} / Pw ${pw} on this grid`);
  const stepCost = colsPerAct === 1 && rowsPerWgt === 1 ? pa : bitsPe;
  return { colsPerAct, rowsPerWgt, windowsPerTile, filtersPerPass, stepCost };
}

/** Stripes potential (§4): Pa activation bits against a Wb-bit weight per MAC. */
export function stripesBitsPerMac(pa: number, wb: number): number {
  return pa * wb;
}

function setup(input: AccelLayerInput, params: Params) {
  const full = withDefaults(stripes, params);
  const grid = readGrid(full);
  const plan = stripesPlan(input.pa, input.pw, intParam(full, 'bitsPe'), grid);
  const g = gridGeometry(input, grid.spaceToDepth);
  return { grid, plan, g, cgs: cdiv(g.C, grid.lanes), isFc: input.geometry.kind === 'fc' };
}

export function stripesCycles(g: GridGeometry, plan: StripesPlan, cgs: number, isFc: boolean): number {
  const passes = cdiv(g.K, plan.filtersPerPass);
  if (isFc) return brickIssueCycles(new Array<number>(cgs).fill(plan.stepCost), plan.windowsPerTile, passes);
  return cdiv(g.Oh * g.Ow, plan.windowsPerTile) * g.Kh * g.Kw * cgs * plan.stepCost * passes;
}

function simulateStripes(input: AccelLayerInput, params: Params): LayerResult {
  const { grid, plan, g, cgs, isFc } = setup(input, params);
  const macs = layerMacs(input.geometry);
  const wb = networkWidth(input, grid);
  return makeResult({
    model: 'stripes',
    layer: input.name,
    cycles: stripesCycles(g, plan, cgs, isFc),
    baselineCycles: dadnGridCycles(g, grid),
    macs,
    effectualWork: macs * input.pa,
    unit: 'bit',
    slotsPerCycle: grid.lanes * grid.columns * grid.rows * grid.tiles,
    // Skipped: the activation bits above the layer precision, relative to a Wb-bit bit-serial datapath.
    skippedWork: macs * Math.max(0, wb - input.pa),
    potential: potentialOf(macs, wb, macs * stripesBitsPerMac(input.pa, wb)),
  });
}

/**
 * One tile: tile t = fb % tiles of filter pass fb / tiles, on window group windowBlock (windowsPerTile
 * windows; a window spans colsPerAct columns, a filter rowsPerWgt rows). Every step costs stepCost cycles;
 * a column slice is Effectual on the activation bits it owns (bit < Pa) and only the first row slice of a
 * weight counts the work. FC: the §6.4 brick issue schedule of one filter pass (windowBlock 0).
 */
function traceStripes(input: AccelLayerInput, params: Params, request: TraceRequest): TileTrace {
  const { grid, plan, g, cgs, isFc } = setup(input, params);
  const { filterBlock: fb, windowBlock: wbk } = request;
  const passes = cdiv(g.K, plan.filtersPerPass);
  if (!(fb >= 0 && fb < passes * grid.tiles)) throw new RangeError(`trace: filterBlock ${fb} out of range`);
  const nWindows = isFc ? 1 : g.Oh * g.Ow;
  const groups = isFc ? 1 : cdiv(nWindows, plan.windowsPerTile);
  if (!(wbk >= 0 && wbk < groups)) throw new RangeError(`trace: windowBlock ${wbk} out of range`);

  // Row r of this tile: 0 inactive, 1 first slice of a filter (counts the MAC), 2 further slice.
  const rowKind = new Uint8Array(grid.rows);
  const tile = fb % grid.tiles;
  const pass = Math.floor(fb / grid.tiles);
  for (let r = 0; r < grid.rows; r++) {
    const globalRow = tile * grid.rows + r;
    const slot = Math.floor(globalRow / plan.rowsPerWgt);
    if (slot < plan.filtersPerPass && pass * plan.filtersPerPass + slot < g.K)
      rowKind[r] = globalRow % plan.rowsPerWgt === 0 ? 1 : 2;
  }
  const realMacRows = rowKind.reduce((s, k) => s + (k === 1 ? 1 : 0), 0);
  const real = realSlots(input, g);
  const skipPerMac = Math.max(0, networkWidth(input, grid) - input.pa);
  const layout = { peRows: grid.rows, peCols: grid.columns, unitsPerPE: grid.lanes };

  const paintStep = (t: TileTrace, start: number, logicalCol: number, cg: number, ij: number) => {
    let realLanes = 0;
    for (let k = 0; k < plan.colsPerAct; k++) {
      const col = logicalCol * plan.colsPerAct + k;
      for (let q = 0; q < plan.stepCost && start + q < t.storedCycles; q++) {
        const realBit = k * plan.stepCost + q < input.pa;
        for (let r = 0; r < grid.rows; r++) {
          if (rowKind[r] === 0) continue;
          for (let l = 0; l < grid.lanes && cg + l < g.C; l++) {
            const isReal = real === null || real[(cg + l) * g.Kh * g.Kw + ij] === 1;
            const effectual = isReal && realBit && rowKind[r] === 1;
            t.states[stateIndex(t, start + q, r, col, l)] = effectual
              ? UnitState.Effectual
              : UnitState.Ineffectual;
          }
        }
      }
    }
    for (let l = 0; l < grid.lanes && cg + l < g.C; l++)
      if (real === null || real[(cg + l) * g.Kh * g.Kw + ij] === 1) realLanes++;
    if (start < t.storedCycles) t.skippedPerCycle[start] += skipPerMac * realLanes * realMacRows;
  };

  if (isFc) {
    const costs = new Array<number>(cgs).fill(plan.stepCost);
    const cycles = brickIssueCycles(costs, plan.windowsPerTile, 1);
    const t = allocateTrace('stripes', input.name, request, layout, cycles, 'bit');
    for (let r = 0; r < grid.rows; r++)
      if (rowKind[r] !== 0)
        for (let c = 0; c < plan.windowsPerTile * plan.colsPerAct; c++)
          fillPE(t, r, c, 0, cycles, UnitState.Idle);
    brickIssueCycles(costs, plan.windowsPerTile, 1, (brick, col, start) =>
      paintStep(t, start, col, brick * grid.lanes, 0),
    );
    return t;
  }

  const steps = g.Kh * g.Kw * cgs;
  const cycles = steps * plan.stepCost;
  const t = allocateTrace('stripes', input.name, request, layout, cycles, 'bit');
  const first = wbk * plan.windowsPerTile;
  const count = Math.min(plan.windowsPerTile, nWindows - first);
  for (let step = 0; step < steps; step++) {
    const ij = Math.floor(step / cgs);
    const cg = (step % cgs) * grid.lanes;
    for (let w = 0; w < count; w++) paintStep(t, step * plan.stepCost, w, cg, ij);
  }
  return t;
}

export const stripes: AcceleratorModel = {
  id: 'stripes',
  name: 'Stripes',
  summary: 'Bit-serial activations at the per-layer precision Pa; 16 windows in parallel',
  params: [
    ...gridParamSpecs(true),
    {
      name: 'bitsPe',
      type: 'int',
      default: 16,
      min: 1,
      max: 16,
      description: 'Bits one PE column/row handles (DNNsim example file: 8)',
    },
  ],
  appliesTo: () => true,
  simulate: simulateStripes,
  trace: traceStripes,
};
