import { boothLikeDigits, MASK_TABLE, T_TABLE, MAX_MAGNITUDE, type TermDigit } from './booth';
import {
  binaryDigits,
  binaryMaskTable,
  nafCountTable,
  nafDigits,
  nafMaskTable,
  popcountTable32768,
} from './naf';

/** Term encodings of the term-serial models (option `termEncoding`, accelerators.md §2). */
export type TermEncoding = 'boothLike' | 'naf' | 'popcount';
export const TERM_ENCODINGS: readonly TermEncoding[] = ['boothLike', 'naf', 'popcount'];

export function isTermEncoding(x: unknown): x is TermEncoding {
  return typeof x === 'string' && (TERM_ENCODINGS as readonly string[]).includes(x);
}

/** Term count of every magnitude 0..32767 under `encoding` (shared, do not mutate). */
export function termCountTable(encoding: TermEncoding): Uint8Array {
  switch (encoding) {
    case 'boothLike':
      return T_TABLE;
    case 'naf':
      return nafCountTable();
    case 'popcount':
      return popcountTable32768();
  }
}

/** Term positions of every magnitude as a bit mask under `encoding` (shared, do not mutate). */
export function termMaskTable(encoding: TermEncoding): Uint16Array {
  switch (encoding) {
    case 'boothLike':
      return MASK_TABLE;
    case 'naf':
      return nafMaskTable();
    case 'popcount':
      return binaryMaskTable();
  }
}

function magnitudeOf(value: number): number {
  const m = Math.abs(value);
  if (!Number.isInteger(m) || m > MAX_MAGNITUDE) {
    throw new RangeError(`term encoders take integers with |v| <= ${MAX_MAGNITUDE}, got ${value}`);
  }
  return m;
}

/**
 * Signed digits of |value| (the sign of the value is free, §1.2), most significant first. 'popcount' yields
 * the plain binary digits.
 */
export function termDigits(value: number, encoding: TermEncoding): TermDigit[] {
  const m = magnitudeOf(value);
  switch (encoding) {
    case 'boothLike':
      return boothLikeDigits(m);
    case 'naf':
      return nafDigits(m);
    case 'popcount':
      return binaryDigits(m);
  }
}

/** T(v) under `encoding`: number of terms of |v|. */
export function termCount(value: number, encoding: TermEncoding = 'boothLike'): number {
  return termCountTable(encoding)[magnitudeOf(value)];
}

export interface TermCountStats {
  sum: number;
  mean: number;
  max: number;
  /** Magnitudes reaching the maximum, ascending. */
  argmax: number[];
}

/** Term-count statistics uniformly over magnitudes lo..hi inclusive (the §2.4 table). */
export function termCountStats(lo: number, hi: number, encoding: TermEncoding): TermCountStats {
  magnitudeOf(lo);
  magnitudeOf(hi);
  if (hi < lo) throw new RangeError(`empty magnitude range ${lo}..${hi}`);
  const table = termCountTable(encoding);
  let sum = 0;
  let max = 0;
  let argmax: number[] = [];
  for (let m = lo; m <= hi; m++) {
    const t = table[m];
    sum += t;
    if (t > max) {
      max = t;
      argmax = [m];
    } else if (t === max) argmax.push(m);
  }
  return { sum, mean: sum / (hi - lo + 1), max, argmax };
}
