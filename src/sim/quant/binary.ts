import { scaleMeta } from './meta';
import { meanAbs } from './stats';
import { binaryBits } from './storage';
import { checkShape, groupRanges } from './tensor';
import type { Granularity, QuantizedTensor } from './types';

/**
 * Binary weights (BWN), quantization.md §8: sign with 0 → +1, α = mean |w| per layer or per output filter.
 * There is no zero code, so the models see ±1 with P = 1.
 */
export function quantizeBinary(
  w: ArrayLike<number>,
  shape: number[],
  opts: { granularity?: Granularity } = {},
): QuantizedTensor {
  checkShape(w, shape);
  const granularity = opts.granularity ?? 'layer';
  const codes = new Int32Array(w.length);
  const values = new Float32Array(w.length);
  const alphas: number[] = [];
  for (const [start, end] of groupRanges(shape, granularity === 'filter')) {
    const alpha = meanAbs(w, start, end);
    alphas.push(alpha);
    for (let i = start; i < end; i++) {
      const code = w[i] >= 0 ? 1 : -1;
      codes[i] = code;
      values[i] = alpha * code;
    }
  }
  return {
    scheme: 'binary',
    shape: [...shape],
    codes,
    values,
    precision: 1,
    storageBits: binaryBits(w.length, alphas.length),
    meta: { granularity, ...scaleMeta('alpha', alphas, granularity) },
  };
}
