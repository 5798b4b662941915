/**
 * Test-only §5 width rule, written from the text with bit strings (independent of src/sim/accel/widths.ts).
 */

/** (lo, hi) of a value in sign-magnitude: lowest / highest set bit of |v|, hi + 1 if negative; 0 -> (16, 0). */
export function refBits(v: number): { lo: number; hi: number } {
  if (v === 0) return { lo: 16, hi: 0 };
  const bin = Math.abs(v).toString(2);
  const hi = bin.length - 1 + (v < 0 ? 1 : 0);
  const lo = bin.length - 1 - bin.lastIndexOf('1');
  return { lo, hi };
}

export function refGroupCost(values: number[], leadingBit: boolean): number {
  let maxHi = 0;
  let minLo = 16;
  for (const v of values) {
    const { lo, hi } = refBits(v);
    maxHi = Math.max(maxHi, hi);
    minLo = Math.min(minLo, lo);
  }
  if (leadingBit) return maxHi + 1;
  return minLo > maxHi ? 1 : maxHi - minLo + 1;
}

export function refWidth(v: number, leadingBit: boolean): number {
  return v === 0 ? 0 : refGroupCost([v], leadingBit);
}
