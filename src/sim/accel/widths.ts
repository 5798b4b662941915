/**
 * Sign-magnitude bit widths of the precision-exploiting grid models (accelerators.md §1.2, §5): Stripes'
 * dynamic variant and Loom look at the span of set bits of |v|, one extra bit for a negative value.
 */

/** Lowest-bit marker of a zero: above every real bit, so a zero never lowers a group's minimum (§5). */
export const ZERO_LO = 16;

/** Highest set bit of |v|, plus one when v < 0 (the sign bit); 0 for v = 0. */
export function valueHi(v: number): number {
  if (v === 0) return 0;
  return v < 0 ? 32 - Math.clz32(-v) : 31 - Math.clz32(v);
}

/** Lowest set bit of |v|; ZERO_LO for v = 0. */
export function valueLo(v: number): number {
  if (v === 0) return ZERO_LO;
  const m = v < 0 ? -v : v;
  return 31 - Math.clz32(m & -m);
}

/** Cycles a group needs from its folded bit span: the §5 rule (an all-zero group costs 1). */
export function costFromBits(maxHi: number, minLo: number, leadingBit: boolean): number {
  if (leadingBit) return maxHi + 1;
  return minLo > maxHi ? 1 : maxHi - minLo + 1;
}

/** §5 groupCost of a set of values. */
export function groupCost(values: ArrayLike<number>, leadingBit: boolean): number {
  let maxHi = 0;
  let minLo = ZERO_LO;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v === 0) continue;
    const hi = valueHi(v);
    const lo = valueLo(v);
    if (hi > maxHi) maxHi = hi;
    if (lo < minLo) minLo = lo;
  }
  return costFromBits(maxHi, minLo, leadingBit);
}

/** A value's own width by the same rule, except that a zero has width 0 (it carries no real bit). */
export function valueWidth(v: number, leadingBit: boolean): number {
  return v === 0 ? 0 : costFromBits(valueHi(v), valueLo(v), leadingBit);
}

/**
 * Bit spans of every brick of a tensor laid out [outer][C][positions]: brick (o, cg, pos) folds the lanes
 * c in [cg, cg + lanes) of position pos. Index (o * cgs + cg / lanes) * positions + pos. Activations:
 * outer 1, positions Nh*Nw; weights [K][C][Kh][Kw]: outer K, positions Kh*Kw.
 */
export interface BrickBits {
  cgs: number;
  positions: number;
  maxHi: Uint8Array;
  minLo: Uint8Array;
  /** costFromBits of each brick with the chosen leadingBit. */
  cost: Uint8Array;
}

export function brickBits(
  values: Int32Array,
  outer: number,
  C: number,
  positions: number,
  lanes: number,
  leadingBit: boolean,
): BrickBits {
  const cgs = Math.ceil(C / lanes);
  const size = outer * cgs * positions;
  const maxHi = new Uint8Array(size);
  const minLo = new Uint8Array(size).fill(ZERO_LO);
  for (let o = 0; o < outer; o++)
    for (let c = 0; c < C; c++) {
      const src = (o * C + c) * positions;
      const dst = (o * cgs + Math.floor(c / lanes)) * positions;
      for (let pos = 0; pos < positions; pos++) {
        const v = values[src + pos];
        if (v === 0) continue;
        const hi = valueHi(v);
        const lo = valueLo(v);
        if (hi > maxHi[dst + pos]) maxHi[dst + pos] = hi;
        if (lo < minLo[dst + pos]) minLo[dst + pos] = lo;
      }
    }
  const cost = new Uint8Array(size);
  for (let k = 0; k < size; k++) cost[k] = costFromBits(maxHi[k], minLo[k], leadingBit);
  return { cgs, positions, maxHi, minLo, cost };
}
