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

/*
 * Branch-free forms for the per-element loops (zeros and signs are data-random, so branches mispredict):
 * valueHi except that a zero gives −1, and valueLo (ZERO_LO for a zero). Both fold into a running max / min
 * exactly like skipping the zero.
 */
export function hiOrMinus1(v: number): number {
  return 31 - Math.clz32(Math.abs(v)) + (v >>> 31);
}

export function loOrZeroLo(v: number): number {
  const m = Math.abs(v);
  const isZero = ((m | -m) >>> 31) ^ 1;
  return 31 - Math.clz32(m & -m) + (ZERO_LO + 1) * isZero;
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
  // Branch-free on the data: a zero has hi = −1 and lo = ZERO_LO, which both forms send to 0; a non-zero
  // value has lo <= hi, so costFromBits reduces to hi − lo + 1.
  const hi = hiOrMinus1(v);
  return leadingBit ? hi + 1 : Math.max(0, hi - loOrZeroLo(v) + 1);
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
        maxHi[dst + pos] = Math.max(maxHi[dst + pos], hiOrMinus1(v));
        minLo[dst + pos] = Math.min(minLo[dst + pos], loOrZeroLo(v));
      }
    }
  const cost = new Uint8Array(size);
  for (let k = 0; k < size; k++) cost[k] = costFromBits(maxHi[k], minLo[k], leadingBit);
  return { cgs, positions, maxHi, minLo, cost };
}

/** The lane folds of brickBits without the cost (which depends on leadingBit). */
export type BrickSpans = Omit<BrickBits, 'cost'>;

/** The BrickBits of `spans` with each brick's costFromBits under `leadingBit`. */
export function withBrickCosts(spans: BrickSpans, leadingBit: boolean): BrickBits {
  const cost = new Uint8Array(spans.maxHi.length);
  for (let k = 0; k < cost.length; k++) cost[k] = costFromBits(spans.maxHi[k], spans.minLo[k], leadingBit);
  return { cgs: spans.cgs, positions: spans.positions, maxHi: spans.maxHi, minLo: spans.minLo, cost };
}
