/**
 * Synchronisation rules shared by the bit-/term-serial grid models (accelerators.md §6.3, §6.4).
 */

/**
 * The run-ahead register file of `columnSync`: the slowest finish of each of the last R steps, as a ring
 * (the oldest at `oldest`), so that a step costs no array shifting and no element-kind changes.
 */
export interface RunAheadRegisters {
  slowest: Float64Array;
  oldest: number;
}

/**
 * Column synchronisation with `R` run-ahead registers (§6.3), applied after every step. `cum[c]` is the cycle
 * at which column c finished its latest step; `E` holds the slowest finish of each of the last R steps. A
 * column may not finish a step before the slowest column finished the step R steps ago, so it is bumped
 * past that finish; `R = 0` is lock-step. The rule covers every entry of `cum`, idle columns included.
 * Mutates `cum` and `E`.
 *
 * Returns the step's stall statistic: `limit + 1 − min(bumped cum before bumping)` (0 when nobody waits);
 * in lock-step, `max(cum) − min(cum)`.
 */
export function columnSync(cum: Float64Array | number[], E: RunAheadRegisters, R: number): number {
  const n = cum.length;
  if (R === 0) {
    let max = -Infinity;
    let min = Infinity;
    for (let c = 0; c < n; c++) {
      const v = cum[c];
      if (v > max) max = v;
      if (v < min) min = v;
    }
    for (let c = 0; c < n; c++) cum[c] = max;
    return n === 0 ? 0 : max - min;
  }
  const limit = E.slowest[E.oldest];
  let lowestBumped = Infinity;
  let max = -Infinity;
  for (let c = 0; c < n; c++) {
    let v = cum[c];
    if (v <= limit) {
      if (v < lowestBumped) lowestBumped = v;
      v = limit + 1;
      cum[c] = v;
    }
    if (v > max) max = v;
  }
  // The oldest register leaves, this step's slowest finish becomes the newest.
  E.slowest[E.oldest] = max;
  E.oldest = (E.oldest + 1) % R;
  return lowestBumped === Infinity ? 0 : limit + 1 - lowestBumped;
}

/** Fresh run-ahead register file for `columnSync` (all registers 0). */
export function runAheadRegisters(R: number): RunAheadRegisters {
  return { slowest: new Float64Array(R), oldest: 0 };
}

/**
 * FC brick issue model (§6.4): bricks are issued one per cycle round-robin to `columns` columns; a column
 * stays busy for its brick's cost and the issuer waits when the next column is still busy. Every filter set
 * repeats the same activation work, so only the first pass's tail is added once.
 * `onIssue` (optional) sees each brick's column, start cycle and cost, for traces.
 */
export function brickIssueCycles(
  brickCosts: ArrayLike<number>,
  columns: number,
  filterSets: number,
  onIssue?: (brick: number, column: number, start: number, cost: number) => void,
): number {
  const colEnd = new Float64Array(columns);
  let t = 0;
  let col = 0;
  for (let k = 0; k < brickCosts.length; k++) {
    if (t < colEnd[col]) t = colEnd[col];
    const cost = brickCosts[k];
    if (onIssue) onIssue(k, col, t, cost);
    colEnd[col] = t + cost;
    t += 1;
    col = (col + 1) % columns;
  }
  let maxEnd = 0;
  for (let c = 0; c < columns; c++) if (colEnd[c] > maxEnd) maxEnd = colEnd[c];
  return t * filterSets + (maxEnd - t);
}
