import { UnitState } from './types';
import type { ModelId, TileTrace, TraceRequest, WorkUnit } from './types';

/** An empty TileTrace (every unit Inactive) sized for min(request.maxCycles, cycles) cycles. */
export function allocateTrace(
  model: ModelId,
  layer: string,
  request: TraceRequest,
  layout: { peRows: number; peCols: number; unitsPerPE: number },
  cycles: number,
  unit: WorkUnit,
  withProgress = false,
): TileTrace {
  if (!Number.isInteger(request.maxCycles) || request.maxCycles < 0)
    throw new RangeError(`trace: maxCycles must be a non-negative integer, got ${request.maxCycles}`);
  const storedCycles = Math.min(request.maxCycles, cycles);
  const trace: TileTrace = {
    model,
    layer,
    filterBlock: request.filterBlock,
    windowBlock: request.windowBlock,
    peRows: layout.peRows,
    peCols: layout.peCols,
    unitsPerPE: layout.unitsPerPE,
    cycles,
    storedCycles,
    states: new Uint8Array(storedCycles * layout.peRows * layout.peCols * layout.unitsPerPE),
    skippedPerCycle: new Uint32Array(storedCycles),
    unit,
  };
  if (withProgress) trace.columnProgress = new Int32Array(storedCycles * layout.peCols);
  return trace;
}

export function stateIndex(t: TileTrace, cycle: number, row: number, col: number, lane: number): number {
  return ((cycle * t.peRows + row) * t.peCols + col) * t.unitsPerPE + lane;
}

/** Sets every lane of PE (row, col) to `state` for the stored cycles in [from, to). */
export function fillPE(
  t: TileTrace,
  row: number,
  col: number,
  from: number,
  to: number,
  state: UnitState,
): void {
  const end = Math.min(to, t.storedCycles);
  for (let cycle = Math.max(0, from); cycle < end; cycle++) {
    const k = stateIndex(t, cycle, row, col, 0);
    t.states.fill(state, k, k + t.unitsPerPE);
  }
}

/** Copies row `from`'s states onto row `to` for every stored cycle (rows that see identical work). */
export function copyRow(t: TileTrace, from: number, to: number): void {
  const span = t.peCols * t.unitsPerPE;
  for (let cycle = 0; cycle < t.storedCycles; cycle++) {
    const src = stateIndex(t, cycle, from, 0, 0);
    t.states.copyWithin(stateIndex(t, cycle, to, 0, 0), src, src + span);
  }
}

/** Counts of each UnitState over the stored cycles (for checks and legends). */
export function stateTotals(t: TileTrace): Record<'inactive' | 'effectual' | 'idle' | 'ineffectual', number> {
  const n = new Float64Array(4);
  const states = t.states;
  for (let k = 0; k < states.length; k++) n[states[k]]++;
  return {
    inactive: n[UnitState.Inactive],
    effectual: n[UnitState.Effectual],
    idle: n[UnitState.Idle],
    ineffectual: n[UnitState.Ineffectual],
  };
}
