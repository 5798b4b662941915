import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quantizeUniformAsymmetric, quantizeUniformSymmetric } from '../../../src/sim/quant/uniform';
import { target } from './helpers';

const micro = target('quant.micro');
const x = micro.inputs.x as number[];
const tol = micro.tolerance.value as number;

describe('uniform symmetric k-bit (§1)', () => {
  it('matches quant.micro symmetric4bit', () => {
    const q = quantizeUniformSymmetric(x, [x.length], 4);
    expect(Array.from(q.codes)).toEqual(micro.expected.symmetric4bit.codes);
    expect(q.meta.scale as number).toBeCloseTo(micro.expected.symmetric4bit.scale, 12);
    expect(q.precision).toBe(4);
    // −0.6 / s = −3.5 exactly at a tie: away from zero
    expect(q.codes[3]).toBe(-4);
    q.values.forEach((v, i) => expect(v).toBeCloseTo((q.meta.scale as number) * q.codes[i], 6));
  });

  it('per channel uses one scale per output filter (hand-computed)', () => {
    // k = 3, qmax = 3. Filter 0: max 1.5 -> s = 0.5; filter 1: max 0.75 -> s = 0.25 (all quotients exact).
    const w = [1.5, -0.75, 0.375, 0, 0.75, -0.375, 0.125, -0.75];
    const q = quantizeUniformSymmetric(w, [2, 4], 3, 'filter');
    expect(q.meta.scales).toEqual([0.5, 0.25]);
    // -0.75/0.5 = -1.5 -> -2 and -0.375/0.25 = -1.5 -> -2 (ties away from zero); 0.125/0.25 = 0.5 -> 1
    expect(Array.from(q.codes)).toEqual([3, -2, 1, 0, 3, -2, 1, -3]);
    expect(q.storageBits).toBe(3 * 8 + 32 * 2);
    // per tensor the second filter would share s = 0.5
    expect(Array.from(quantizeUniformSymmetric(w, [2, 4], 3).codes)).toEqual([3, -2, 1, 0, 2, -1, 0, -2]);
  });

  it('an all-zero tensor gets scale 1 and zero codes', () => {
    const q = quantizeUniformSymmetric([0, 0, 0], [3], 4);
    expect(q.meta.scale).toBe(1);
    expect(Array.from(q.codes)).toEqual([0, 0, 0]);
  });

  it('storage is k·n plus one FP32 scale', () => {
    expect(quantizeUniformSymmetric(x, [x.length], 4).storageBits).toBe(4 * 8 + 32);
  });
});

describe('uniform asymmetric k-bit (§2)', () => {
  it('matches quant.micro asymmetric4bit (q = code + z)', () => {
    const e = micro.expected.asymmetric4bit;
    const q = quantizeUniformAsymmetric(x, [x.length], 4);
    expect(q.meta.scale as number).toBeCloseTo(e.scale, 12);
    expect(q.meta.zeroPoint).toBe(e.zeroPoint);
    expect(Array.from(q.codes, (c) => c + (q.meta.zeroPoint as number))).toEqual(e.q);
    expect(q.precision).toBe(5); // lo < 0: sign-magnitude needs k + 1
    q.values.forEach((v, i) => expect(Math.abs(v - (q.meta.scale as number) * q.codes[i])).toBeLessThan(tol));
  });

  it('a non-negative tensor needs only k bits', () => {
    const q = quantizeUniformAsymmetric([0, 0.3, 1.5], [3], 4);
    expect(q.meta.zeroPoint).toBe(0);
    expect(q.precision).toBe(4);
    expect(Array.from(q.codes)).toEqual([0, 3, 15]);
  });

  it('keeps real zeros at code 0 and stays inside [0, 2^k − 1]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: -10, max: 10, noNaN: true })), {
          minLength: 4,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        (arr, k, perFilter) => {
          const n = arr.length - (arr.length % 2);
          const w = Float32Array.from(arr.slice(0, n));
          const q = quantizeUniformAsymmetric(w, [2, n / 2], k, perFilter ? 'filter' : 'layer');
          const zps = perFilter
            ? (q.meta.zeroPoints as number[])
            : [q.meta.zeroPoint as number, q.meta.zeroPoint as number];
          for (let i = 0; i < n; i++) {
            if (w[i] === 0) expect(q.codes[i]).toBe(0);
            const stored = q.codes[i] + zps[Math.floor(i / (n / 2))];
            expect(stored).toBeGreaterThanOrEqual(0);
            expect(stored).toBeLessThanOrEqual(2 ** k - 1);
          }
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('storage adds one FP32 zero point per scale', () => {
    expect(quantizeUniformAsymmetric(x, [2, 4], 4, 'filter').storageBits).toBe(4 * 8 + 2 * 32 * 2);
  });
});

describe('uniform symmetric property', () => {
  it('error is at most half a step and codes stay in ±qmax', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 2, max: 12 }),
        (arr, k) => {
          const q = quantizeUniformSymmetric(arr, [arr.length], k);
          const s = q.meta.scale as number;
          const qmax = 2 ** (k - 1) - 1;
          arr.forEach((v, i) => {
            expect(Math.abs(q.codes[i])).toBeLessThanOrEqual(qmax);
            expect(Math.abs(v - s * q.codes[i])).toBeLessThanOrEqual(s / 2 + 1e-9 * Math.abs(v));
          });
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
