import { clamp, rha } from './rounding';
import { denseBits } from './storage';
import { checkShape } from './tensor';
import type { QuantizedTensor } from './types';

export interface Tensorflow8bCodes {
  codes: Int32Array;
  /** Multiplier from real value to code (float32, as DNNsim computes it); 0 for an all-zero tensor. */
  scale: number;
  unsigned: boolean;
}

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * A scale rounded to float32 like DNNsim's, except that one too large for float32 (max |x| below about
 * 3.7e-37, which §4 does not cover) stays at the largest float32 instead of becoming Infinity: the codes
 * then follow rha(x · FLOAT32_MAX), shrinking to 0 as the tensor does (below about 1.5e-39 all codes are 0),
 * and the scale stays one a 32-bit float can store.
 */
function float32Scale(value: number): number {
  return Math.min(Math.fround(value), FLOAT32_MAX);
}

/**
 * DNNsim `tensorflow_fixed_point` per whole tensor (quantization.md §4). Only an exact minimum of 0 selects
 * the unsigned [0, 255] branch. The scale is rounded to float32 like DNNsim's; the product with the float32
 * input is taken in float64, which matches DNNsim except possibly at exact ties.
 */
export function tensorflow8bCodes(x: ArrayLike<number>): Tensorflow8bCodes {
  let mn = Infinity;
  let mx = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < mn) mn = x[i];
    if (x[i] > mx) mx = x[i];
  }
  const codes = new Int32Array(x.length);
  const m = x.length === 0 ? 0 : Math.max(Math.abs(mn), Math.abs(mx));
  if (m === 0) return { codes, scale: 0, unsigned: false };
  const unsigned = mn === 0;
  const scale = unsigned ? float32Scale(255 / m) : float32Scale(254 / Math.fround(2 * m));
  const lo = unsigned ? 0 : -127;
  const hi = unsigned ? 255 : 127;
  for (let i = 0; i < x.length; i++) codes[i] = clamp(rha(x[i] * scale), lo, hi);
  return { codes, scale, unsigned };
}

/** tensorflow_8b as a weight quantiser: 8-bit codes plus one FP32 scale. */
export function quantizeTensorflow8b(x: ArrayLike<number>, shape: number[]): QuantizedTensor {
  checkShape(x, shape);
  const { codes, scale, unsigned } = tensorflow8bCodes(x);
  const values = new Float32Array(x.length);
  if (scale > 0) for (let i = 0; i < x.length; i++) values[i] = codes[i] / scale;
  return {
    scheme: 'tensorflow8b',
    shape: [...shape],
    codes,
    values,
    precision: 8,
    storageBits: denseBits(x.length, 8) + 32,
    meta: { scale, unsigned: unsigned ? 'yes' : 'no' },
  };
}
