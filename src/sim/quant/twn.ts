import { scaleMeta } from './meta';
import { meanAbs } from './stats';
import { twnBits } from './storage';
import { checkShape, groupRanges } from './tensor';
import type { Granularity, QuantizedTensor } from './types';

/** Δ = 0.7·E|W|: TERNARY_DELTA = 7 in fengfu-chris/caffe-twns [reference-code-read]. */
export const TWN_DELTA_FACTOR = 0.7;

/**
 * Ternary Weight Networks, quantization.md §6. Strict comparisons (|w| == Δ gives 0) and α = mean |w| of the
 * survivors, as in the reference. On an exported TWN tensor α·{−1, 0, 1} the codes come back unchanged:
 * Δ = 0.7·α·(non-zero fraction) < α, so every ±α survives and every 0 stays 0.
 */
export function quantizeTwn(
  w: ArrayLike<number>,
  shape: number[],
  opts: { granularity?: Granularity; deltaFactor?: number } = {},
): QuantizedTensor {
  checkShape(w, shape);
  const granularity = opts.granularity ?? 'layer';
  const factor = opts.deltaFactor ?? TWN_DELTA_FACTOR;
  const codes = new Int32Array(w.length);
  const values = new Float32Array(w.length);
  const deltas: number[] = [];
  const alphas: number[] = [];
  for (const [start, end] of groupRanges(shape, granularity === 'filter')) {
    const delta = factor * meanAbs(w, start, end);
    let sum = 0;
    let count = 0;
    for (let i = start; i < end; i++) {
      const code = w[i] > delta ? 1 : w[i] < -delta ? -1 : 0;
      codes[i] = code;
      if (code !== 0) {
        sum += Math.abs(w[i]);
        count++;
      }
    }
    const alpha = count > 0 ? sum / count : 0;
    for (let i = start; i < end; i++) values[i] = alpha * codes[i];
    deltas.push(delta);
    alphas.push(alpha);
  }
  return {
    scheme: 'twn',
    shape: [...shape],
    codes,
    values,
    precision: 2,
    storageBits: twnBits(w.length, alphas.length),
    meta: {
      granularity,
      deltaFactor: factor,
      ...scaleMeta('delta', deltas, granularity),
      ...scaleMeta('alpha', alphas, granularity),
    },
  };
}
