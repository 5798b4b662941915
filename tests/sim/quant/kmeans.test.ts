import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { kmeansShare, linearInit } from '../../../src/sim/quant/kmeans';
import { target } from './helpers';

/** Brute-force Lloyd per §10, written independently of the implementation. */
function naiveKmeans(xs: number[], k: number, maxIter: number) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of xs) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const c =
    k === 1
      ? [xs.reduce((s, v) => s + v, 0) / xs.length]
      : Array.from({ length: k }, (_, j) => lo + (j * (hi - lo)) / (k - 1));
  let assign = xs.map(() => 0);
  for (let iter = 0; iter < maxIter; iter++) {
    const next = xs.map((v) => {
      let best = 0;
      for (let j = 1; j < k; j++) if (Math.abs(v - c[j]) < Math.abs(v - c[best])) best = j;
      return best;
    });
    const changed = next.some((a, i) => a !== assign[i]);
    assign = next;
    if (iter > 0 && !changed) break;
    for (let j = 0; j < k; j++) {
      let s = 0;
      let n = 0;
      xs.forEach((v, i) => {
        if (assign[i] === j) {
          s += v;
          n++;
        }
      });
      if (n > 0) c[j] = s / n;
    }
  }
  return { c, assign };
}

describe('k-means weight sharing (§10)', () => {
  const t = target('quant.kmeans');
  const xs = t.inputs.nonZeroWeights as number[];
  const tol = t.tolerance.value as number;

  it('matches quant.kmeans', () => {
    linearInit(xs, 2 ** (t.inputs.bits as number)).forEach((c, j) =>
      expect(Math.abs(c - t.expected.initialCentroids[j])).toBeLessThan(tol),
    );
    const r = kmeansShare(xs, { bits: t.inputs.bits as number });
    r.initialCentroids.forEach((c, j) =>
      expect(Math.abs(c - t.expected.initialCentroids[j])).toBeLessThan(tol),
    );
    r.codebook.forEach((c, j) => expect(Math.abs(c - t.expected.centroids[j])).toBeLessThan(tol));
    expect(Array.from(r.index)).toEqual(t.expected.assignments);
  });

  it('zeros stay outside the codebook; reserveZeroCode puts 0.0 at index 0', () => {
    const w = [0, ...xs.slice(0, 4), 0, ...xs.slice(4)];
    const plain = kmeansShare(w, { bits: 2 });
    expect(plain.values[0]).toBe(0);
    expect(plain.index[0]).toBe(-1);
    expect(plain.index[5]).toBe(-1);
    const eie = kmeansShare(w, { bits: 2, reserveZeroCode: true });
    expect(eie.codebook).toHaveLength(4);
    expect(eie.codebook[0]).toBe(0);
    expect(eie.index[0]).toBe(0);
    // 3 centroids over the 8 non-zeros, all indices ≥ 1
    expect(
      Array.from(eie.index)
        .filter((_, i) => w[i] !== 0)
        .every((j) => j >= 1 && j <= 3),
    ).toBe(true);
  });

  it('all-zero layer: no codebook', () => {
    const r = kmeansShare([0, 0], { bits: 3 });
    expect(r.codebook).toEqual([]);
    expect(Array.from(r.values)).toEqual([0, 0]);
  });

  it('k = 1 starts at the mean', () => {
    expect(linearInit([1, 2, 6], 1)).toEqual([3]);
  });

  it('agrees with brute-force Lloyd; ≤ 2^b entries; zeros exactly zero; every value is a centroid', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constant(0),
            fc.integer({ min: -20, max: 20 }).map((v) => v / 8),
            fc.double({ min: -3, max: 3, noNaN: true }),
          ),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        (arr, bits, reserve) => {
          const w = Float32Array.from(arr);
          const r = kmeansShare(w, { bits, reserveZeroCode: reserve, maxIter: 30 });
          expect(r.codebook.length).toBeLessThanOrEqual(2 ** bits);
          const nz = Array.from(w).filter((v) => v !== 0);
          const ref = nz.length ? naiveKmeans(nz, reserve ? 2 ** bits - 1 : 2 ** bits, 30) : null;
          let p = 0;
          for (let i = 0; i < w.length; i++) {
            if (w[i] === 0) {
              expect(r.values[i]).toBe(0);
              continue;
            }
            expect(r.values[i]).toBe(Math.fround(r.codebook[r.index[i]]));
            expect(r.index[i]).toBe(ref!.assign[p] + (reserve ? 1 : 0));
            p++;
          }
          if (ref) expect(r.codebook.slice(reserve ? 1 : 0)).toEqual(ref.c);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
