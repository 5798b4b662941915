import { clamp, rha } from './rounding';
import { scaleMeta } from './meta';
import { maxAbs } from './stats';
import { uniformBits } from './storage';
import { checkShape, groupRanges } from './tensor';
import type { Granularity, QuantizedTensor } from './types';

/**
 * Uniform symmetric k-bit, quantization.md §1: restricted range ±(2^(k−1) − 1), one scale per tensor or per
 * output filter.
 */
export function quantizeUniformSymmetric(
  x: ArrayLike<number>,
  shape: number[],
  bits: number,
  granularity: Granularity = 'layer',
): QuantizedTensor {
  if (!Number.isInteger(bits) || bits < 2)
    throw new Error(`symmetric uniform needs k >= 2 bits, got ${bits}`);
  checkShape(x, shape);
  const qmax = 2 ** (bits - 1) - 1;
  const codes = new Int32Array(x.length);
  const values = new Float32Array(x.length);
  const ranges = groupRanges(shape, granularity === 'filter');
  const scales: number[] = [];
  for (const [start, end] of ranges) {
    const m = maxAbs(x, start, end);
    const s = m > 0 ? m / qmax : 1;
    scales.push(s);
    for (let i = start; i < end; i++) {
      const code = clamp(rha(x[i] / s), -qmax, qmax);
      codes[i] = code;
      values[i] = s * code;
    }
  }
  return {
    scheme: 'uniform',
    shape: [...shape],
    codes,
    values,
    precision: bits,
    storageBits: uniformBits(x.length, bits, scales.length, false),
    meta: { symmetric: 'yes', granularity, bits, ...scaleMeta('scale', scales, granularity) },
  };
}

/**
 * Uniform asymmetric k-bit, §2. The range always contains 0 so that a real zero is exactly representable;
 * the models see q − z, which keeps real zeros at code 0 (the stored integer is code + zeroPoint).
 */
export function quantizeUniformAsymmetric(
  x: ArrayLike<number>,
  shape: number[],
  bits: number,
  granularity: Granularity = 'layer',
): QuantizedTensor {
  if (!Number.isInteger(bits) || bits < 1)
    throw new Error(`asymmetric uniform needs k >= 1 bits, got ${bits}`);
  checkShape(x, shape);
  const levels = 2 ** bits - 1;
  const codes = new Int32Array(x.length);
  const values = new Float32Array(x.length);
  const scales: number[] = [];
  const zeroPoints: number[] = [];
  let anyNegative = false;
  for (const [start, end] of groupRanges(shape, granularity === 'filter')) {
    let lo = 0;
    let hi = 0;
    for (let i = start; i < end; i++) {
      lo = Math.min(lo, x[i]);
      hi = Math.max(hi, x[i]);
    }
    if (lo < 0) anyNegative = true;
    const s = hi > lo ? (hi - lo) / levels : 1;
    const z = clamp(rha(-lo / s), 0, levels);
    scales.push(s);
    zeroPoints.push(z);
    for (let i = start; i < end; i++) {
      const q = clamp(rha(x[i] / s) + z, 0, levels);
      codes[i] = q - z;
      values[i] = s * (q - z);
    }
  }
  return {
    scheme: 'uniform',
    shape: [...shape],
    codes,
    values,
    // Sign-magnitude width of the code range q − z; per filter, the widest filter sets the layer's P.
    precision: anyNegative ? bits + 1 : bits,
    storageBits: uniformBits(x.length, bits, scales.length, true),
    meta: {
      symmetric: 'no',
      granularity,
      bits,
      ...scaleMeta('scale', scales, granularity),
      ...scaleMeta('zeroPoint', zeroPoints, granularity),
    },
  };
}
