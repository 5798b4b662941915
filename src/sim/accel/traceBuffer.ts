/**
 * Bounded per-cycle storage of one grid tile for TileTrace (accelerators.md §1.7): states of
 * peRows × peCols PEs × unitsPerPE units for at most `storedCycles` cycles.
 */
import { UnitState } from './types';

export class TraceBuffer {
  readonly states: Uint8Array;
  readonly skippedPerCycle: Uint32Array;
  readonly storedCycles: number;

  constructor(
    readonly cycles: number,
    maxCycles: number,
    readonly peRows: number,
    readonly peCols: number,
    readonly unitsPerPE: number,
  ) {
    this.storedCycles = Math.max(0, Math.min(cycles, Math.floor(maxCycles)));
    this.states = new Uint8Array(this.storedCycles * peRows * peCols * unitsPerPE);
    this.skippedPerCycle = new Uint32Array(this.storedCycles);
  }

  index(cycle: number, row: number, col: number, unit: number): number {
    return ((cycle * this.peRows + row) * this.peCols + col) * this.unitsPerPE + unit;
  }

  /** Sets units [unit0, unit1) of PE (row, col) to `state` during cycles [from, to), clipped to storage. */
  fill(
    row: number,
    col: number,
    unit0: number,
    unit1: number,
    from: number,
    to: number,
    state: UnitState,
  ): void {
    const end = Math.min(to, this.storedCycles);
    for (let t = Math.max(0, from); t < end; t++) {
      const base = this.index(t, row, col, 0);
      this.states.fill(state, base + unit0, base + unit1);
    }
  }

  set(cycle: number, row: number, col: number, unit: number, state: UnitState): void {
    if (cycle >= 0 && cycle < this.storedCycles) this.states[this.index(cycle, row, col, unit)] = state;
  }

  addSkipped(cycle: number, amount: number): void {
    if (cycle >= 0 && cycle < this.storedCycles) this.skippedPerCycle[cycle] += amount;
  }

  /** Copies row 0's states of every stored cycle into rows 1..rowCount−1 (rows doing identical work). */
  replicateRow0(rowCount: number): void {
    const rowSize = this.peCols * this.unitsPerPE;
    for (let t = 0; t < this.storedCycles; t++) {
      const src = this.index(t, 0, 0, 0);
      for (let r = 1; r < rowCount; r++) this.states.copyWithin(src + r * rowSize, src, src + rowSize);
    }
  }
}

/** Turns per-column completion events (`done[t·cols + c]` = steps finished at cycle t) into running totals. */
export function cumulativeProgress(done: Int32Array, storedCycles: number, cols: number): Int32Array {
  for (let t = 1; t < storedCycles; t++)
    for (let c = 0; c < cols; c++) done[t * cols + c] += done[(t - 1) * cols + c];
  return done;
}
