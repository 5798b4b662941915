import { cdiv, layerMacs } from '../types';
import {
  dadnGridCycles,
  gridGeometry,
  gridParamSpecs,
  networkWidth,
  readGrid,
  realSlots,
} from './gridParams';
import { makeResult, potentialOf, withDefaults } from './run';
import { allocateTrace, copyRow, stateIndex } from './traceCanvas';
import { UnitState } from './types';
import type {
  AccelLayerInput,
  AcceleratorModel,
  LayerResult,
  Params,
  TileTrace,
  TraceRequest,
} from './types';
import { filterSums, windowSums } from './windowSums';

/** DaDN potential (§3): a full Wb x Wb product per MAC. */
export function dadnBitsPerMac(wb: number): number {
  return wb * wb;
}

/**
 * MACs with a zero activation or a zero weight (padding included), original geometry. DaDN executes them
 * like any other; the figure is for display only (§3 "Ineffectual").
 */
export function zeroOperandMacs(input: AccelLayerInput): number {
  const nzWindows = windowSums(input, 'nonZero');
  const nzFilters = filterSums(input, 'nonZero');
  let bothNonZero = 0;
  for (let q = 0; q < nzWindows.length; q++) bothNonZero += nzWindows[q] * nzFilters[q];
  return layerMacs(input.geometry) - bothNonZero;
}

function simulateDadn(input: AccelLayerInput, params: Params): LayerResult {
  const grid = readGrid(withDefaults(dadn, params));
  const cycles = dadnGridCycles(gridGeometry(input, grid.spaceToDepth), grid);
  const macs = layerMacs(input.geometry);
  const wb = networkWidth(input, grid);
  return makeResult({
    model: 'dadn',
    layer: input.name,
    cycles,
    baselineCycles: cycles,
    macs,
    effectualWork: macs,
    unit: 'mac',
    slotsPerCycle: grid.lanes * grid.rows * grid.tiles,
    // Value-agnostic: nothing is recognised as ineffectual, so nothing is skipped.
    skippedWork: 0,
    potential: potentialOf(macs, wb, macs * dadnBitsPerMac(wb)),
    extra: { zeroOperandMacs: zeroOperandMacs(input) },
  });
}

/**
 * One tile = `rows` filters (filterBlock: filters [fb*rows, fb*rows + rows)) on one window (windowBlock =
 * window index in §1.5 order): one cycle per (i, j, cg) step. Lanes on a real MAC are Effectual, lanes on a
 * zero slot added by §1.4 are Ineffectual, lanes past C and rows past K are Inactive.
 */
function traceDadn(input: AccelLayerInput, params: Params, request: TraceRequest): TileTrace {
  const grid = readGrid(withDefaults(dadn, params));
  const g = gridGeometry(input, grid.spaceToDepth);
  const { filterBlock: fb, windowBlock: n } = request;
  if (!(fb >= 0 && fb < cdiv(g.K, grid.rows))) throw new RangeError(`trace: filterBlock ${fb} out of range`);
  if (!(n >= 0 && n < g.Oh * g.Ow)) throw new RangeError(`trace: windowBlock ${n} out of range`);
  const cgs = cdiv(g.C, grid.lanes);
  const cycles = g.Kh * g.Kw * cgs;
  const t = allocateTrace(
    'dadn',
    input.name,
    request,
    { peRows: grid.rows, peCols: 1, unitsPerPE: grid.lanes },
    cycles,
    'mac',
  );
  const real = realSlots(input, g);
  for (let cycle = 0; cycle < t.storedCycles; cycle++) {
    const cg = (cycle % cgs) * grid.lanes;
    const ij = Math.floor(cycle / cgs);
    for (let l = 0; l < grid.lanes && cg + l < g.C; l++) {
      const isReal = real === null || real[(cg + l) * g.Kh * g.Kw + ij] === 1;
      t.states[stateIndex(t, cycle, 0, 0, l)] = isReal ? UnitState.Effectual : UnitState.Ineffectual;
    }
  }
  for (let r = 1; r < grid.rows && fb * grid.rows + r < g.K; r++) copyRow(t, 0, r);
  return t;
}

export const dadn: AcceleratorModel = {
  id: 'dadn',
  name: 'DaDianNao',
  summary: 'Bit-parallel 16-bit baseline: 16 tiles x 16 filters x 16 lanes per cycle, nothing skipped',
  params: gridParamSpecs(false),
  appliesTo: () => true,
  simulate: simulateDadn,
  trace: traceDadn,
};
