import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectTernary } from '../../../src/sim/quant/ternaryDetect';
import { parseTtqSidecar, quantizeTtq, quantizeTtqFixedSparsity } from '../../../src/sim/quant/ttq';
import { countZeros, erf, gaussianSample, target } from './helpers';

const micro = target('quant.micro');
const x = micro.inputs.x as number[];
const tol = micro.tolerance.value as number;

describe('TTQ post-training fit (§7)', () => {
  it('matches quant.micro ttqPostTraining', () => {
    const e = micro.expected.ttqPostTraining;
    const q = quantizeTtq(Float32Array.from(x), [x.length], { t: e.t });
    expect(Array.from(q.codes)).toEqual(e.codes);
    expect(Math.abs((q.meta.delta as number) - e.delta)).toBeLessThan(tol);
    expect(Math.abs((q.meta.wp as number) - e.Wp)).toBeLessThan(tol);
    expect(Math.abs((q.meta.wn as number) - e.Wn)).toBeLessThan(tol);
    expect(q.meta.source).toBe('post-training fit');
    expect(q.precision).toBe(2);
    expect(q.storageBits).toBe(2 * 8 + 64);
  });

  it('an empty side gets scale 0', () => {
    // max 3.5 -> Δ = 0.175, everything survives on the positive side: Wp = 7/4
    const q = quantizeTtq([1, 2, 0.5, 3.5, 0.1], [5]);
    expect(Array.from(q.codes)).toEqual([1, 1, 1, 1, 0]);
    expect(q.meta.wp).toBe(1.75);
    expect(q.meta.wn).toBe(0);
  });

  it('|w| == Δ maps to 0', () => {
    // t = 0.25, max 4 -> Δ = 1 exactly
    const q = quantizeTtq([1, -1, 4, -2], [4], { t: 0.25 });
    expect(Array.from(q.codes)).toEqual([0, 0, 1, -1]);
  });
});

describe('TTQ learned scales from the sidecar', () => {
  it('uses wp, wn and the sidecar t', () => {
    const scales = parseTtqSidecar(JSON.parse('{"layer1": {"wp": 0.642, "wn": 0.728, "t": 0.5}}'));
    const q = quantizeTtq(x, [x.length], { t: 0.05, scales: scales.layer1 });
    // t = 0.5: Δ = 0.6 -> only 0.9 and −1.2 survive (−0.6 sits on Δ)
    expect(Array.from(q.codes)).toEqual([1, 0, 0, 0, 0, 0, -1, 0]);
    expect(q.meta.source).toBe('sidecar');
    expect(q.values[0]).toBe(Math.fround(0.642));
    expect(q.values[6]).toBe(Math.fround(-0.728));
  });

  it('falls back to the configured t when the sidecar has none', () => {
    const q = quantizeTtq(x, [x.length], { t: 0.05, scales: { wp: 1, wn: 2 } });
    expect(Array.from(q.codes)).toEqual(micro.expected.ttqPostTraining.codes);
    expect(q.meta.t).toBe(0.05);
  });

  it('rejects malformed sidecars', () => {
    expect(() => parseTtqSidecar([])).toThrow();
    expect(() => parseTtqSidecar({ a: { wp: 1 } })).toThrow(/"a"/);
    expect(() => parseTtqSidecar({ a: { wp: 1, wn: -1 } })).toThrow();
    expect(parseTtqSidecar({ a: { wp: 1, wn: 2 } })).toEqual({ a: { wp: 1, wn: 2 } });
  });
});

describe('ternary detection', () => {
  it('recognises TTQ, TWN and binary exports and keeps their exact codes and levels', () => {
    const a = Math.fround(0.728);
    const b = Math.fround(0.642);
    const ttq = Float32Array.from([b, 0, -a, -a, 0, b]);
    const q = quantizeTtq(ttq, [6], { scales: { wp: 5, wn: 5 } });
    expect(q.meta.detected).toBe('exact');
    expect(q.meta.detectedAs).toBe('ttq');
    expect(Array.from(q.codes)).toEqual([1, 0, -1, -1, 0, 1]);
    expect(Array.from(q.values)).toEqual(Array.from(ttq));
    expect([q.meta.wp, q.meta.wn]).toEqual([b, a]);
    expect(detectTernary(Float32Array.from([b, 0, -b]))?.kind).toBe('twn');
    expect(detectTernary(Float32Array.from([b, -b, -b]))?.kind).toBe('binary');
    expect(detectTernary([0, 0])?.kind).toBe('zero');
  });

  it('compares exactly: one ulp apart is not ternary', () => {
    const v = Math.fround(0.5);
    const next = new Float32Array(
      new Uint32Array([new Uint32Array(Float32Array.of(v).buffer)[0] + 1]).buffer,
    )[0];
    expect(detectTernary(Float32Array.from([v, next, 0]))).toBeNull();
    expect(detectTernary([1, 2, 3])).toBeNull();
    expect(detectTernary([1, NaN])).toBeNull();
    // a non-ternary tensor goes to the fit
    expect(quantizeTtq(Float32Array.from([v, next, 0, -v]), [4]).meta.source).toBe('post-training fit');
  });

  it('round-trips any scaled ternary tensor', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1, max: 1 }), { minLength: 1, maxLength: 50 }),
        fc.float({ min: Math.fround(1e-3), max: 10, noNaN: true }),
        fc.float({ min: Math.fround(1e-3), max: 10, noNaN: true }),
        (codes, wp, wn) => {
          const w = Float32Array.from(codes, (c) => (c > 0 ? wp : c < 0 ? -wn : 0));
          const q = quantizeTtq(w, [w.length]);
          expect(q.meta.detected).toBe('exact');
          expect(Array.from(q.codes)).toEqual(codes.map((c) => (c === 0 ? 0 : c)));
          expect(Array.from(q.values)).toEqual(Array.from(w, (v) => (v === 0 ? 0 : v)));
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('TTQ fixed sparsity (p_ternarize)', () => {
  const e = micro.expected.ttqFixedSparsity;

  it('matches quant.micro in exact and reference-quirk modes', () => {
    const exact = quantizeTtqFixedSparsity(x, [x.length], { p: e.p });
    expect(exact.meta.k).toBe(e.k);
    expect(Array.from(exact.codes)).toEqual(e.exactCodes);
    expect(Array.from(exact.values)).toEqual(e.exactCodes);
    const quirk = quantizeTtqFixedSparsity(x, [x.length], { p: e.p, referenceQuirk: true });
    expect(Array.from(quirk.codes)).toEqual(e.referenceQuirkCodes);
  });

  it('breaks magnitude ties by flat index', () => {
    const q = quantizeTtqFixedSparsity([0.5, -0.5, 0.5, 0.1], [4], { p: 0.5 });
    expect(Array.from(q.codes)).toEqual([1, -1, 0, 0]);
    // the quirk drops every weight tied with the k-th largest
    expect(
      Array.from(
        quantizeTtqFixedSparsity([0.5, -0.5, 0.5, 0.1], [4], { p: 0.5, referenceQuirk: true }).codes,
      ),
    ).toEqual([0, 0, 0, 0]);
  });

  it('keeps exactly floor(n(1 − p)) non-zero weights (non-zero inputs) and needs 0 <= p < 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: Math.fround(0.01), max: 5, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        (mags, p) => {
          const q = quantizeTtqFixedSparsity(
            mags.map((m, i) => (i % 2 ? -m : m)),
            [mags.length],
            { p },
          );
          expect(mags.length - countZeros(q.codes)).toBe(Math.floor(mags.length * (1 - p)));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
    expect(() => quantizeTtqFixedSparsity(x, [8], { p: 1 })).toThrow();
    expect(() => quantizeTtqFixedSparsity(x, [8], { p: -0.1 })).toThrow();
  });
});

describe('ttq.gaussianZeroFraction', () => {
  const t = target('ttq.gaussianZeroFraction');
  const tT = t.inputs.t as number;
  const ns = t.inputs.n as number[];
  const expected = t.expected.zeroFraction as number[];
  const tv = t.tolerance.value as number;

  /**
   * E[zero fraction] = E[erf(t·M/√2)] with M the max of n half-normals, P(M <= m) = erf(m/√2)^n; by parts,
   * = 1 − ∫ f'(m) erf(m/√2)^n dm with f(m) = erf(t·m/√2). An independent check of the Monte Carlo below.
   */
  function expectedZeroFraction(n: number): number {
    const dm = 1e-4;
    let integral = 0;
    for (let m = dm / 2; m < 12; m += dm) {
      const fPrime = tT * Math.sqrt(2 / Math.PI) * Math.exp(-((tT * m) ** 2) / 2);
      integral += fPrime * Math.exp(n * Math.log(erf(m / Math.SQRT2))) * dm;
    }
    return erf((tT * 12) / Math.SQRT2) - integral;
  }

  it('matches the Monte Carlo targets within their tolerance', () => {
    const trials = [1000, 100, 6];
    ns.forEach((n, k) => {
      const fractions: number[] = [];
      for (let trial = 0; trial < trials[k]; trial++) {
        const w = gaussianSample(n, 1000 * k + trial + 1);
        fractions.push(countZeros(quantizeTtq(w, [n], { t: tT, detect: false }).codes) / n);
      }
      const mean = fractions.reduce((s, v) => s + v, 0) / fractions.length;
      const sd = Math.sqrt(fractions.reduce((s, v) => s + (v - mean) ** 2, 0) / (fractions.length - 1));
      const se = sd / Math.sqrt(fractions.length);
      // the target is itself a Monte Carlo value: its own tolerance plus 3 of our standard errors
      expect(Math.abs(mean - expected[k])).toBeLessThan(tv + 3 * se);
      // and our estimate agrees with the integral to 4 standard errors (plus integration error)
      expect(Math.abs(mean - expectedZeroFraction(n))).toBeLessThan(4 * se + 1e-4);
    });
  });
});
