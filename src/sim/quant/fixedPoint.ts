import { clamp, rha } from './rounding';
import { maxAbs, percentileAbs } from './stats';
import { denseBits } from './storage';
import { checkShape } from './tensor';
import type { QuantizedTensor } from './types';

/** DNNsim `precision.txt` pair: `mag` integer bits incl. the sign, `frac` fractional bits; P = mag + frac. */
export interface FixedPointProfile {
  mag: number;
  frac: number;
}

/**
 * DNNsim `profiled_value`, signed convention (quantization.md §3): clamp first, then round. The bounds are
 * integers, so clamping before rounding cannot push a value outside them.
 */
export function profiledValue(x: number, mag: number, frac: number): number {
  return profiledCode(x, 2 ** frac, 2 ** (mag - 1 + frac) - 1);
}

/** profiledValue with its two powers of two computed once per tensor (they are Math.pow calls otherwise). */
export function profiledCode(x: number, scale: number, lim: number): number {
  return rha(clamp(x * scale, -lim, lim));
}

/**
 * DNNsim's profiles when none is given [reference-code-read]: 16-bit network — activations frac 2, weights
 * frac 15; 8-bit network — activations frac 1, weights frac 7.
 */
export const DNNSIM_DEFAULT_PROFILES: Readonly<
  Record<16 | 8, { activations: FixedPointProfile; weights: FixedPointProfile }>
> = {
  16: { activations: { mag: 14, frac: 2 }, weights: { mag: 1, frac: 15 } },
  8: { activations: { mag: 7, frac: 1 }, weights: { mag: 1, frac: 7 } },
};

/** Percentile of |x| used by the outlier-robust range profile. */
export const PROFILE_PERCENTILE = 99.99;

/**
 * Range-based profile for precision P (§3, [reconstruction]): just enough integer bits I for M = max|x| (or
 * the 99.99th percentile of |x|), the rest fractional.
 */
export function rangeProfile(
  x: ArrayLike<number>,
  precision: number,
  opts: { percentile?: boolean } = {},
): FixedPointProfile {
  if (!Number.isInteger(precision) || precision < 1)
    throw new Error(`precision must be >= 1, got ${precision}`);
  const m = opts.percentile ? percentileAbs(x, PROFILE_PERCENTILE) : maxAbs(x);
  const intBits = integerBits(m);
  return { mag: intBits + 1, frac: precision - 1 - intBits };
}

/** I = M < 1 ? 0 : floor(log2 M) + 1, i.e. the smallest I with 2^I > M, computed exactly (log2 may round). */
export function integerBits(m: number): number {
  if (!Number.isFinite(m)) throw new Error(`cannot profile a non-finite range (${m})`);
  if (m < 1) return 0;
  let i = Math.floor(Math.log2(m)) + 1;
  while (2 ** i <= m) i++;
  while (i > 1 && 2 ** (i - 1) > m) i--;
  return i;
}

/** Profiled fixed point with an explicit (mag, frac); values are the dequantised code · 2^−frac. */
export function quantizeProfiled(
  x: ArrayLike<number>,
  shape: number[],
  profile: FixedPointProfile,
): QuantizedTensor {
  checkShape(x, shape);
  const { mag, frac } = profile;
  if (mag - 1 + frac < 0) throw new Error(`profile needs mag − 1 + frac >= 0 (mag ${mag}, frac ${frac})`);
  const codes = new Int32Array(x.length);
  const values = new Float32Array(x.length);
  const step = 2 ** -frac;
  const scale = 2 ** frac;
  const lim = 2 ** (mag - 1 + frac) - 1;
  for (let i = 0; i < x.length; i++) {
    const code = profiledCode(x[i], scale, lim);
    codes[i] = code;
    values[i] = code * step;
  }
  const precision = mag + frac;
  return {
    scheme: 'fixed',
    shape: [...shape],
    codes,
    values,
    precision,
    storageBits: denseBits(x.length, precision),
    meta: { mag, frac },
  };
}

/** Profiled fixed point of precision P with the range-based profile of the tensor itself. */
export function quantizeFixedPoint(
  x: ArrayLike<number>,
  shape: number[],
  precision: number,
  opts: { percentile?: boolean } = {},
): QuantizedTensor {
  return quantizeProfiled(x, shape, rangeProfile(x, precision, opts));
}
