import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DNNSIM_DEFAULT_PROFILES,
  integerBits,
  profiledValue,
  quantizeFixedPoint,
  quantizeProfiled,
  rangeProfile,
} from '../../../src/sim/quant/fixedPoint';
import { target } from './helpers';

describe('DNNsim profiled fixed point (§3)', () => {
  it('matches quant.rounding.profiled', () => {
    const t = target('quant.rounding.profiled');
    const { mag, frac } = t.inputs as { mag: number; frac: number };
    const codes = (t.inputs.x as number[]).map((v) => profiledValue(v, mag, frac));
    expect(codes).toEqual(t.expected.codes);
  });

  it('DNNsim defaults clamp at ±32767 (16-bit) and ±127 (8-bit)', () => {
    const w16 = DNNSIM_DEFAULT_PROFILES[16].weights;
    const a16 = DNNSIM_DEFAULT_PROFILES[16].activations;
    expect([w16.mag + w16.frac, a16.mag + a16.frac, w16.frac, a16.frac]).toEqual([16, 16, 15, 2]);
    expect(profiledValue(1, w16.mag, w16.frac)).toBe(32767);
    expect(profiledValue(-1, w16.mag, w16.frac)).toBe(-32767);
    expect(profiledValue(8191.75, a16.mag, a16.frac)).toBe(32767);
    expect(profiledValue(0.375, a16.mag, a16.frac)).toBe(2); // 1.5 -> 2
    const w8 = DNNSIM_DEFAULT_PROFILES[8].weights;
    const a8 = DNNSIM_DEFAULT_PROFILES[8].activations;
    expect([w8.mag + w8.frac, a8.mag + a8.frac, w8.frac, a8.frac]).toEqual([8, 8, 7, 1]);
    expect(profiledValue(-5, w8.mag, w8.frac)).toBe(-127);
    expect(profiledValue(100, a8.mag, a8.frac)).toBe(127);
  });

  it('allows a negative frac (step larger than 1)', () => {
    // mag 6, frac −2: step 4, lim 2^3 − 1 = 7
    expect(profiledValue(10, 6, -2)).toBe(3); // 2.5 -> 3
    expect(profiledValue(-100, 6, -2)).toBe(-7);
    expect(() => quantizeProfiled([1], [1], { mag: 1, frac: -1 })).toThrow();
  });

  it('range-based profile: I = 0 below 1, floor(log2 M) + 1 otherwise, exact at powers of two', () => {
    expect(integerBits(0)).toBe(0);
    expect(integerBits(0.999)).toBe(0);
    expect(integerBits(1)).toBe(1);
    expect(integerBits(1.99)).toBe(1);
    expect(integerBits(2)).toBe(2);
    expect(integerBits(7.999999999999999)).toBe(3);
    expect(integerBits(8)).toBe(4);
    expect(integerBits(2 ** 40)).toBe(41);
    expect(rangeProfile([0.9, -3.2, 1], 16)).toEqual({ mag: 3, frac: 13 });
    expect(rangeProfile([0.25, -0.5], 8)).toEqual({ mag: 1, frac: 7 });
  });

  it('the percentile option ignores a single outlier', () => {
    const x = new Float32Array(100000).fill(0.5);
    x[123] = 1000;
    expect(rangeProfile(x, 16)).toEqual({ mag: 11, frac: 5 });
    expect(rangeProfile(x, 16, { percentile: true })).toEqual({ mag: 1, frac: 15 });
  });

  it('quantizeFixedPoint dequantises to code · 2^−frac with P = mag + frac', () => {
    const q = quantizeFixedPoint([0.3, -1.5, 2.75], [3], 8);
    // M = 2.75 -> I = 2, mag 3, frac 5: 0.3·32 = 9.6 -> 10; −1.5·32 = −48; 2.75·32 = 88
    expect(q.meta).toEqual({ mag: 3, frac: 5 });
    expect(Array.from(q.codes)).toEqual([10, -48, 88]);
    expect(Array.from(q.values)).toEqual([10 / 32, -1.5, 2.75]);
    expect(q.precision).toBe(8);
    expect(q.storageBits).toBe(24);
  });

  it('error is at most half a step inside the range, and codes fit in P bits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -1000, max: 1000, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 2, max: 16 }),
        (arr, p) => {
          const q = quantizeFixedPoint(arr, [arr.length], p);
          const frac = q.meta.frac as number;
          const step = 2 ** -frac;
          const lim = 2 ** (p - 1) - 1;
          arr.forEach((v, i) => {
            expect(Math.abs(q.codes[i])).toBeLessThanOrEqual(lim);
            if (Math.abs(v) <= lim * step)
              expect(Math.abs(v - q.codes[i] * step)).toBeLessThanOrEqual(step / 2);
          });
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
