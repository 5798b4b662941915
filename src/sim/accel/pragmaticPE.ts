/**
 * Bit-Pragmatic processing element (accelerators.md §6.1) on term-position masks: each cycle every lane may
 * retire its lowest pending term, but only if it lies within the second-stage shifter's reach of the smallest
 * pending term of the brick.
 */
import { termMaskTable, type TermEncoding } from '../terms';

/** Terms within `2^b − 1` positions of the brick's smallest pending term can retire in the same cycle. */
export function shifterReach(bitsFirstStage: number): number {
  return 2 ** bitsFirstStage - 1;
}

/**
 * Cycles one PE needs for the brick `masks[off .. off+n)` (an all-zero brick costs 1). `pending` is scratch of
 * length ≥ n. `onRetire(cycle, lane)` (trace only) sees every retired term.
 *
 * Works on lowest-set-bit values instead of positions: a lane's next term 2^p may retire when
 * 2^p ≤ 2^base · 2^reach, and the next cycle's base is found during the same pass.
 */
export function peCycles(
  masks: Uint16Array,
  off: number,
  n: number,
  reach: number,
  pending: Uint16Array,
  onRetire?: (cycle: number, lane: number) => void,
): number {
  let live = 0;
  let base = 0x20000;
  for (let l = 0; l < n; l++) {
    const x = masks[off + l];
    if (x !== 0) {
      pending[live++] = l;
      const low = x & -x;
      if (low < base) base = low;
    }
  }
  if (live === 0) return 1;
  // Lanes are compacted: `pending` holds lane ids, `work` their masks.
  const work = scratchFor(n);
  for (let k = 0; k < live; k++) work[k] = masks[off + pending[k]];
  const scale = reach >= 16 ? 0x20000 : 2 ** reach;
  let cycles = 0;
  while (live > 0) {
    const threshold = base * scale;
    let next = 0x20000;
    let kept = 0;
    for (let k = 0; k < live; k++) {
      let x = work[k];
      let low = x & -x;
      if (low <= threshold) {
        if (onRetire) onRetire(cycles, pending[k]);
        x ^= low;
        if (x === 0) continue;
        low = x & -x;
      }
      if (low < next) next = low;
      work[kept] = x;
      pending[kept++] = pending[k];
    }
    live = kept;
    base = next;
    cycles++;
  }
  return cycles;
}

let scratch = new Uint16Array(64);
function scratchFor(n: number): Uint16Array {
  if (scratch.length < n) scratch = new Uint16Array(n);
  return scratch;
}

/** PE cost of a brick of raw activation values (≤ 16 bits of magnitude each). */
export function pragmaticPE(
  values: ArrayLike<number>,
  bitsFirstStage: number,
  encoding: TermEncoding = 'boothLike',
): number {
  const table = termMaskTable(encoding);
  const masks = new Uint16Array(values.length);
  for (let l = 0; l < values.length; l++) {
    const m = Math.abs(values[l]);
    if (!Number.isInteger(m) || m >= table.length)
      throw new RangeError(`activation ${values[l]} out of range`);
    masks[l] = table[m];
  }
  return peCycles(masks, 0, masks.length, shifterReach(bitsFirstStage), new Uint16Array(masks.length));
}

/**
 * peCycles of a brick of at most 32 lanes, on bit planes instead of lanes: planes[p] has bit l set when lane
 * l has a pending term at position p. A cycle retires, for every lane, its lowest pending term if that lies
 * in [base, base + reach] (base = the lowest pending position of the brick): walking the window upwards,
 * a lane's bit at p is its lowest pending one exactly when no lower plane of the window holds that lane.
 * `planes` (length ≥ 16) must be all zero; it is left all zero.
 */
export function brickCycles(
  masks: Uint16Array,
  off: number,
  n: number,
  reach: number,
  planes: Int32Array,
): number {
  let any = 0;
  for (let l = 0; l < n; l++) {
    let x = masks[off + l];
    any |= x;
    while (x !== 0) {
      const low = x & -x;
      planes[31 - Math.clz32(low)] |= 1 << l;
      x ^= low;
    }
  }
  if (any === 0) return 1;
  let base = 31 - Math.clz32(any & -any);
  const top = 31 - Math.clz32(any);
  let cycles = 0;
  while (base <= top) {
    const last = Math.min(base + reach, top);
    let lower = 0;
    for (let p = base; p <= last; p++) {
      const here = planes[p];
      planes[p] = here & lower;
      lower |= here;
    }
    cycles++;
    while (base <= top && planes[base] === 0) base++;
  }
  return cycles;
}

/**
 * PE cost of every activation brick of a layer, computed once: bricks are shared by overlapping windows and
 * the cost depends only on (position, channel group). `masksByPosition` is [positions][cPad] (lanes past C
 * are zero and cost nothing); result index = position·numCg + cgIndex.
 */
export function brickCostTable(
  masksByPosition: Uint16Array,
  positions: number,
  cPad: number,
  lanes: number,
  reach: number,
): Uint8Array {
  const numCg = cPad / lanes;
  const costs = new Uint8Array(positions * numCg);
  const pending = new Uint16Array(lanes);
  const planes = new Int32Array(16);
  for (let x = 0; x < positions; x++) {
    for (let g = 0; g < numCg; g++) {
      const off = x * cPad + g * lanes;
      costs[x * numCg + g] =
        lanes <= 32
          ? brickCycles(masksByPosition, off, lanes, reach, planes)
          : peCycles(masksByPosition, off, lanes, reach, pending);
    }
  }
  return costs;
}
