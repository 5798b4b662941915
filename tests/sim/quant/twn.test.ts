import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quantizeTwn } from '../../../src/sim/quant/twn';
import { countZeros, erf, gaussianSample, laplacianSample, target, uniformSample } from './helpers';

const micro = target('quant.micro');
const x = micro.inputs.x as number[];
const tol = micro.tolerance.value as number;

describe('TWN (§6)', () => {
  it('matches quant.micro twn', () => {
    const q = quantizeTwn(x, [x.length]);
    expect(Array.from(q.codes)).toEqual(micro.expected.twn.codes);
    expect(Math.abs((q.meta.delta as number) - micro.expected.twn.delta)).toBeLessThan(tol);
    expect(Math.abs((q.meta.alpha as number) - micro.expected.twn.alpha)).toBeLessThan(tol);
    expect(q.precision).toBe(2);
    expect(q.storageBits).toBe(2 * 8 + 32);
  });

  it('|w| == Δ maps to 0 (strict comparisons)', () => {
    // deltaFactor 0.5 makes Δ = 0.5 exactly, so two weights sit on the threshold
    const q = quantizeTwn([0.5, -0.5, 1.5, -1.5], [4], { deltaFactor: 0.5 });
    expect(q.meta.delta).toBe(0.5);
    expect(Array.from(q.codes)).toEqual([0, 0, 1, -1]);
    expect(q.meta.alpha).toBe(1.5);
  });

  it('per filter: one Δ and α per output filter (hand-computed)', () => {
    // filter 0: mean|w| = 1 -> Δ 0.7, survivors {2, -1.2} (0.6 < 0.7) -> α 1.6
    // filter 1: mean|w| = 0.1 -> Δ 0.07, survivors {0.2, -0.1, 0.1} -> α 0.4/3
    const w = [2, -1.2, 0.6, -0.2, 0.2, -0.1, 0.1, 0];
    const q = quantizeTwn(w, [2, 4], { granularity: 'filter' });
    expect(Array.from(q.codes)).toEqual([1, -1, 0, 0, 1, -1, 1, 0]);
    const alphas = q.meta.alphas as number[];
    expect(alphas[0]).toBeCloseTo(1.6, 12);
    expect(alphas[1]).toBeCloseTo(0.4 / 3, 12);
    expect(q.storageBits).toBe(2 * 8 + 32 * 2);
  });

  it('reproduces an exported TWN tensor α·codes exactly (layer and filter granularity)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1, max: 1 }), { minLength: 2, maxLength: 64 }),
        fc.float({ min: Math.fround(1e-6), max: 100, noNaN: true }),
        (codesArr, alpha) => {
          const n = codesArr.length - (codesArr.length % 2);
          const codes = codesArr.slice(0, n);
          const w = Float32Array.from(codes, (c) => alpha * c);
          for (const granularity of ['layer', 'filter'] as const) {
            const q = quantizeTwn(w, [2, n / 2], { granularity });
            expect(Array.from(q.codes)).toEqual(codes.map((c) => (c === 0 ? 0 : c)));
            expect(Array.from(q.values)).toEqual(Array.from(w, (v) => (v === 0 ? 0 : v)));
          }
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('α equals the mean magnitude of the survivors, and survivors are exactly |w| > Δ', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 80 }),
        (arr) => {
          const q = quantizeTwn(arr, [arr.length]);
          const delta = (0.7 * arr.reduce((s, v) => s + Math.abs(v), 0)) / arr.length;
          const survivors = arr.filter((v) => Math.abs(v) > delta);
          const expectedAlpha = survivors.length
            ? survivors.reduce((s, v) => s + Math.abs(v), 0) / survivors.length
            : 0;
          expect(q.meta.alpha as number).toBeCloseTo(expectedAlpha, 9);
          arr.forEach((v, i) => expect(q.codes[i]).toBe(Math.abs(v) > delta ? Math.sign(v) : 0));
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('twn.zeroFraction', () => {
  const t = target('twn.zeroFraction');
  const e = t.expected;
  const tv = t.tolerance.value as number;
  const factor = t.inputs.deltaFactor as number;
  const sqrt2 = Math.SQRT2;

  it('closed forms agree with the targets', () => {
    const deltaOverSigma = factor * Math.sqrt(2 / Math.PI);
    expect(Math.abs(deltaOverSigma - e.gaussian.deltaOverSigma)).toBeLessThan(tv);
    expect(Math.abs(erf(deltaOverSigma / sqrt2) - e.gaussian.zeroFraction)).toBeLessThan(tv);
    expect(Math.abs(1 - Math.exp(-factor) - e.laplacian.zeroFraction)).toBeLessThan(tv);
    expect(Math.abs(factor / 2 - e.uniform.zeroFraction)).toBeLessThan(tv);
  });

  it('the Gaussian optimum maximises (E[|w|; |w| > d])² / P(|w| > d)', () => {
    // σ = 1: E[|w|; |w| > d] = 2φ(d), P(|w| > d) = 1 − erf(d/√2); golden-section search
    const objective = (d: number) =>
      ((2 * Math.exp((-d * d) / 2)) / Math.sqrt(2 * Math.PI)) ** 2 / (1 - erf(d / sqrt2));
    let lo = 0.3;
    let hi = 1.0;
    const g = (Math.sqrt(5) - 1) / 2;
    for (let i = 0; i < 80; i++) {
      const a = hi - g * (hi - lo);
      const b = lo + g * (hi - lo);
      if (objective(a) > objective(b)) hi = b;
      else lo = a;
    }
    const d = (lo + hi) / 2;
    expect(Math.abs(d - e.gaussianOptimal.deltaOverSigma)).toBeLessThan(tv);
    expect(Math.abs(d / Math.sqrt(2 / Math.PI) - e.gaussianOptimal.deltaOverMeanAbs)).toBeLessThan(tv);
    expect(Math.abs(erf(d / sqrt2) - e.gaussianOptimal.zeroFraction)).toBeLessThan(tv);
  });

  /**
   * Monte Carlo on n = 1e6 samples. The zero fraction ẑ = F(0.7·mean|w|) has two error sources: the binomial
   * count, sd √(z(1−z)/n), and the estimated threshold, sd ≈ f_|W|(Δ)·c·sd(|W|)/√n (delta method). Their
   * sum bounds the sd whatever their correlation; 4 sd plus the targets' 4-digit rounding is the tolerance.
   */
  const n = 1_000_000;
  const tolerance = (z: number, density: number, c: number, sdAbs: number) =>
    4 * (Math.sqrt((z * (1 - z)) / n) + (density * c * sdAbs) / Math.sqrt(n)) + 5e-5;

  it('Gaussian, Laplacian and uniform samples reproduce the zero fractions', () => {
    const cases = [
      {
        w: gaussianSample(n, 11),
        z: e.gaussian.zeroFraction,
        // σ = 1: |W| has density 2φ(Δ) at Δ and sd √(1 − 2/π)
        tol: tolerance(
          e.gaussian.zeroFraction,
          (2 * Math.exp(-(0.5585 ** 2) / 2)) / Math.sqrt(2 * Math.PI),
          factor,
          Math.sqrt(1 - 2 / Math.PI),
        ),
      },
      // b = 1: |W| ~ Exp(1), density e^−Δ, sd 1
      {
        w: laplacianSample(n, 12, 1),
        z: e.laplacian.zeroFraction,
        tol: tolerance(e.laplacian.zeroFraction, Math.exp(-factor), factor, 1),
      },
      // a = 1: |W| ~ U(0, 1), density 1, sd 1/√12
      {
        w: uniformSample(n, 13, -1, 1),
        z: e.uniform.zeroFraction,
        tol: tolerance(e.uniform.zeroFraction, 1, factor, 1 / Math.sqrt(12)),
      },
    ];
    for (const c of cases) {
      const q = quantizeTwn(c.w, [c.w.length]);
      expect(c.tol).toBeLessThan(0.005);
      expect(Math.abs(countZeros(q.codes) / n - c.z)).toBeLessThan(c.tol);
    }
  });

  it('Δ = 0.767·E|W| on Gaussian samples gives the optimum zero fraction', () => {
    const w = gaussianSample(n, 14);
    const q = quantizeTwn(w, [n], { deltaFactor: e.gaussianOptimal.deltaOverMeanAbs });
    const z = e.gaussianOptimal.zeroFraction;
    const tol = tolerance(
      z,
      (2 * Math.exp(-(0.612 ** 2) / 2)) / Math.sqrt(2 * Math.PI),
      0.767,
      Math.sqrt(1 - 2 / Math.PI),
    );
    expect(Math.abs(countZeros(q.codes) / n - z)).toBeLessThan(tol + 5e-4); // + the 3-digit factor's rounding
  });
});
