import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import validation from '../fixtures/validation.json';
import {
  meanTerms,
  pairTermHistogram,
  termHistogram,
  termPairBits,
  termPotential,
  valueHistogram,
  zeroFraction,
} from '../../src/sim/layerStats';
import type { LayerGeometry } from '../../src/sim/types';

/** Booth-like term counts from validation.json (booth.termCounts): the only magnitudes the tests use. */
const booth = validation.targets.find((t) => t.id === 'booth.termCounts')!;
const MAGNITUDES = (booth.inputs as { magnitudes: number[] }).magnitudes;
const COUNTS = (booth.expected as { boothLike: number[] }).boothLike;
const T = new Map(MAGNITUDES.map((m, i) => [m, COUNTS[i]]));
const termsOf = (v: number) => T.get(Math.abs(v))!;

/** Codes drawn from the validated magnitudes with random signs, a share of them zero. */
function codes(n: number, seed: number, zeroShare: number): Int32Array {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return Int32Array.from({ length: n }, () => {
    if (next() < zeroShare) return 0;
    const m = MAGNITUDES[1 + Math.floor(next() * (MAGNITUDES.length - 1))];
    return next() < 0.5 ? -m : m;
  });
}

/** Visits every MAC of the layer: (activation code or 0 on padding, weight code). Written independently of src. */
function forEachMac(
  g: LayerGeometry,
  act: Int32Array,
  wgt: Int32Array,
  visit: (a: number, w: number) => void,
): void {
  const Oh = Math.floor((g.H + 2 * g.pad - g.Kh) / g.stride) + 1;
  const Ow = Math.floor((g.W + 2 * g.pad - g.Kw) / g.stride) + 1;
  for (let k = 0; k < g.K; k++)
    for (let oh = 0; oh < Oh; oh++)
      for (let ow = 0; ow < Ow; ow++)
        for (let c = 0; c < g.C; c++)
          for (let i = 0; i < g.Kh; i++)
            for (let j = 0; j < g.Kw; j++) {
              const h = oh * g.stride + i - g.pad;
              const w = ow * g.stride + j - g.pad;
              const a = h < 0 || w < 0 || h >= g.H || w >= g.W ? 0 : act[(c * g.H + h) * g.W + w];
              visit(a, wgt[((k * g.C + c) * g.Kh + i) * g.Kw + j]);
            }
}

function naive(g: LayerGeometry, act: Int32Array, wgt: Int32Array) {
  let macs = 0;
  let bits = 0;
  const hist: number[] = [];
  forEachMac(g, act, wgt, (a, w) => {
    macs++;
    const p = termsOf(a) * termsOf(w);
    bits += Math.max(1, p);
    hist[p] = (hist[p] ?? 0) + 1;
  });
  return { macs, bits, hist: Array.from(hist, (x) => x ?? 0) };
}

const conv = (p: Partial<LayerGeometry>): LayerGeometry => ({
  kind: 'conv',
  C: 3,
  H: 7,
  W: 6,
  K: 4,
  Kh: 3,
  Kw: 3,
  stride: 2,
  pad: 1,
  ...p,
});

describe('termPotential / pairTermHistogram against a per-MAC loop', () => {
  it('3x3 stride-2 conv with padding 1 on a 7x6 input', () => {
    const g = conv({});
    const act = codes(g.C * g.H * g.W, 1, 0.4);
    const wgt = codes(g.K * g.C * g.Kh * g.Kw, 2, 0.3);
    const ref = naive(g, act, wgt);
    expect(ref.macs).toBe(4 * 4 * 3 * 9 * 3); // Oh = floor((7+2-3)/2)+1 = 4, Ow = floor((6+2-3)/2)+1 = 3
    expect(termPairBits(g, act, wgt)).toBe(ref.bits);
    expect(termPotential(g, act, wgt, 16, ref.macs)).toBeCloseTo((ref.macs * 256) / ref.bits, 12);
    expect(pairTermHistogram(g, act, wgt)).toEqual(ref.hist);
  });

  it('arbitrary small geometries (kernel 1..4, stride 1..3, padding 0..2, FC)', () => {
    const geometry = fc
      .record({
        C: fc.integer({ min: 1, max: 4 }),
        K: fc.integer({ min: 1, max: 4 }),
        k: fc.integer({ min: 1, max: 4 }),
        extra: fc.integer({ min: 0, max: 5 }),
        stride: fc.integer({ min: 1, max: 3 }),
        pad: fc.integer({ min: 0, max: 2 }),
        fcLayer: fc.boolean(),
        seed: fc.integer({ min: 0, max: 1e6 }),
        zeros: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map((r) => ({
        g: r.fcLayer
          ? ({ kind: 'fc', C: r.C * 5, H: 1, W: 1, K: r.K, Kh: 1, Kw: 1, stride: 1, pad: 0 } as LayerGeometry)
          : conv({
              C: r.C,
              K: r.K,
              Kh: r.k,
              Kw: r.k,
              H: r.k + r.extra,
              W: r.k + ((r.extra * 3) % 5),
              stride: r.stride,
              pad: r.pad,
            }),
        seed: r.seed,
        zeros: r.zeros,
      }));
    fc.assert(
      fc.property(geometry, ({ g, seed, zeros }) => {
        const act = codes(g.C * g.H * g.W, seed, zeros);
        const wgt = codes(g.K * g.C * g.Kh * g.Kw, seed + 7, zeros / 2);
        const ref = naive(g, act, wgt);
        expect(termPairBits(g, act, wgt)).toBe(ref.bits);
        expect(termPotential(g, act, wgt, 8, ref.macs)).toBeCloseTo((ref.macs * 64) / ref.bits, 12);
        expect(pairTermHistogram(g, act, wgt)).toEqual(ref.hist);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('hand case: 1x1 conv, one filter — padding-free pairs cost max(1, T(a)T(w))', () => {
    // a = [0, 3, 7, 91] (T = 0, 2, 2, 5), w = [5] (T = 2): pairs 0, 4, 4, 10 -> bits 1 + 4 + 4 + 10 = 19
    const g = conv({ C: 1, H: 2, W: 2, K: 1, Kh: 1, Kw: 1, stride: 1, pad: 0 });
    const act = Int32Array.from([0, 3, -7, 91]);
    const wgt = Int32Array.from([-5]);
    expect(termPairBits(g, act, wgt)).toBe(19);
    expect(termPotential(g, act, wgt, 16, 4)).toBe((4 * 256) / 19);
    expect(pairTermHistogram(g, act, wgt)).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1]);
    // Padding 1 adds 12 zero activations around the 2x2 input: 12 more pairs that cost 1 each.
    const padded = { ...g, pad: 1 };
    expect(termPairBits(padded, act, wgt)).toBe(19 + 12);
    expect(pairTermHistogram(padded, act, wgt)[0]).toBe(13);
  });
});

describe('zeroFraction / meanTerms / termHistogram', () => {
  it('hand cases', () => {
    expect(zeroFraction(Int32Array.from([0, 1, 0, -3]))).toBe(0.5);
    expect(zeroFraction(Int32Array.from([5, -5, 2]))).toBe(0);
    expect(zeroFraction(new Int32Array(0))).toBe(0);
    // T: 0 -> 0, 1 -> 1, -7 -> 2, 27 -> 4, 32767 -> 2
    expect(meanTerms(Int32Array.from([0, 1, -7, 27, 32767]))).toBe((0 + 1 + 2 + 4 + 2) / 5);
    expect(meanTerms(new Int32Array(0))).toBe(0);
    expect(termHistogram(Int32Array.from([0, 1, -7, 27, 32767, 0]))).toEqual([2, 1, 2, 0, 1]);
    expect(termHistogram(Int32Array.from([0, 0]))).toEqual([2]);
  });

  it('matches validation.json term counts magnitude by magnitude', () => {
    const all = Int32Array.from(MAGNITUDES);
    expect(meanTerms(all)).toBeCloseTo(COUNTS.reduce((s, c) => s + c, 0) / COUNTS.length, 12);
    const hist: number[] = [];
    for (const c of COUNTS) hist[c] = (hist[c] ?? 0) + 1;
    expect(termHistogram(all)).toEqual(Array.from(hist, (x) => x ?? 0));
  });
});

describe('valueHistogram', () => {
  it('puts the minimum in the first bin and the maximum in the last, counts summing to the size', () => {
    const x = Float32Array.from([-1, -0.5, 0, 0.25, 1, 1]);
    const h = valueHistogram(x, 4);
    expect(h.edges).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(h.counts).toEqual([1, 1, 2, 2]);
  });

  it('handles a constant tensor with a unit-wide range around the value', () => {
    const h = valueHistogram(Float32Array.from([2, 2, 2]), 2);
    expect(h.edges).toEqual([1.5, 2, 2.5]);
    expect(h.counts).toEqual([0, 3]);
  });
});
