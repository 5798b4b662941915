import { MAX_MAGNITUDE } from './booth';
import { termCountTable, termMaskTable, type TermEncoding } from './encoding';

/** The error of an operand beyond the 16-bit magnitude limit, naming its index. */
export function termRangeError(value: number, index: number): RangeError {
  return new RangeError(
    `operand ${value} at index ${index} exceeds the 16-bit magnitude limit ${MAX_MAGNITUDE}`,
  );
}

/** Per-element term counts T(|v|) of an integer tensor. */
export function termCountsOf(values: Int32Array, encoding: TermEncoding): Uint8Array {
  const table = termCountTable(encoding);
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const m = v < 0 ? -v : v;
    if (m > MAX_MAGNITUDE) throw termRangeError(v, i);
    out[i] = table[m];
  }
  return out;
}

/** Per-element term-position masks of |v| (bit p set = a ±2^p term). */
export function termMasksOf(values: Int32Array, encoding: TermEncoding): Uint16Array {
  const table = termMaskTable(encoding);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const m = v < 0 ? -v : v;
    if (m > MAX_MAGNITUDE) throw termRangeError(v, i);
    out[i] = table[m];
  }
  return out;
}

/** Σ T(|v|) over a tensor. */
export function totalTerms(values: Int32Array, encoding: TermEncoding): number {
  const table = termCountTable(encoding);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const m = v < 0 ? -v : v;
    if (m > MAX_MAGNITUDE) throw termRangeError(v, i);
    sum += table[m];
  }
  return sum;
}
