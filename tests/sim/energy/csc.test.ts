import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildEieCsc } from '../../../src/sim/accel/eieFormat';
import {
  countRelativeIndexEntries,
  expectedPaddingEntries,
  paddingPerNonZeroLimit,
} from '../../../src/sim/energy/csc';
import { EIE_FORMAT, weightFootprint } from '../../../src/sim/energy/footprint';
import { randomMask, target } from './helpers';

/** The footprint's count of real and padding CSC entries (the EIE model's encoder, §12.1). */
function countCscEntries(codes: ArrayLike<number>, rows: number, cols: number, pes: number, relBits: number) {
  return weightFootprint(codes, [rows, cols], { ...EIE_FORMAT, pes, relBits }).entries;
}

/** Independent §12.1 encoder: builds the entry list of every (PE, column) slice explicitly. */
function naiveCsc(codes: ArrayLike<number>, rows: number, cols: number, pes: number, relBits: number) {
  const span = 2 ** relBits;
  let nnz = 0;
  let padding = 0;
  for (let k = 0; k < pes; k++)
    for (let j = 0; j < cols; j++) {
      const slice: number[] = [];
      for (let i = k; i < rows; i += pes) slice.push(codes[i * cols + j]);
      let zeros = 0;
      for (const v of slice) {
        if (v === 0) {
          zeros++;
          continue;
        }
        while (zeros >= span) {
          padding++;
          zeros -= span;
        }
        nnz++;
        zeros = 0;
      }
    }
  return { nnz, padding };
}

describe('EIE CSC entry counting in the footprint (§12.1)', () => {
  it('matches eie.csc.padding', () => {
    const t = target('eie.csc.padding');
    const rows = t.inputs.localRows as number;
    const nz = t.inputs.nonZeroLocalRows as number[];
    const relBits = t.inputs.relBits as number;
    const codes = new Int32Array(rows); // one column, one PE
    for (const r of nz) codes[r] = 1;
    const entries = countCscEntries(codes, rows, 1, 1, relBits);
    expect(entries).toEqual({ nnz: nz.length, padding: t.expected.paddingEntries });
    expect((entries?.nnz ?? 0) + (entries?.padding ?? 0)).toBe(t.expected.entries);
  });

  it('agrees with a naive per-slice encoder', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (rows, cols, pes, relBits, density, seed) => {
          const codes = randomMask(rows * cols, density, seed);
          const fast = countCscEntries(codes, rows, cols, pes, relBits);
          expect(fast).toEqual(naiveCsc(codes, rows, cols, pes, relBits));
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('a single PE holding a row-major matrix equals the column streams of the naive encoder', () => {
    // rows × 1 with one PE is a flat stream: the Deep Compression counter must agree on it.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer(),
        (n, relBits, seed) => {
          const codes = randomMask(n, 0.1, seed);
          expect(countRelativeIndexEntries(codes, relBits)).toEqual(naiveCsc(codes, n, 1, 1, relBits));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('expected padding (§15)', () => {
  it('matches eie.padding.expected', () => {
    const t = target('eie.padding.expected');
    const densities = t.inputs.densities as number[];
    const rows = t.inputs.sliceRows as number;
    const relBits = t.inputs.relBits as number;
    const tol = t.tolerance.value as number;
    densities.forEach((d, i) => {
      expect(
        Math.abs(expectedPaddingEntries(rows, d, relBits) / (d * rows) - t.expected.perNonZero64Rows[i]),
      ).toBeLessThanOrEqual(tol);
      expect(
        Math.abs(paddingPerNonZeroLimit(d, relBits) - t.expected.perNonZeroLongColumn[i]),
      ).toBeLessThanOrEqual(tol);
    });
  });

  it('tends to q/(1-q) per non-zero on long columns', () => {
    const d = 0.04;
    const L = 200_000;
    const perNz = expectedPaddingEntries(L, d, 4) / (d * L);
    expect(perNz).toBeCloseTo(paddingPerNonZeroLimit(d, 4), 2);
  });

  it('equals the brute-force expectation over all masks of a short slice', () => {
    // E[pad] by enumerating every mask of length 10 weighted by its probability.
    const L = 10;
    const relBits = 1;
    const d = 0.3;
    let expected = 0;
    for (let mask = 0; mask < 1 << L; mask++) {
      const codes = Array.from({ length: L }, (_, i) => (mask >> i) & 1);
      const ones = codes.reduce((a, b) => a + b, 0);
      expected += d ** ones * (1 - d) ** (L - ones) * countRelativeIndexEntries(codes, relBits).padding;
    }
    expect(expectedPaddingEntries(L, d, relBits)).toBeCloseTo(expected, 12);
  });

  it('the exact count on seeded random EIE-sized masks agrees with the formula within the sampling error', () => {
    const pes = 64;
    const rows = 64 * pes; // 64-row slices, as in EIE
    const cols = 64;
    const relBits = 4;
    const trials = 24;
    for (const d of [0.04, 0.09]) {
      const expected = pes * cols * expectedPaddingEntries(rows / pes, d, relBits);
      const samples: number[] = [];
      for (let s = 0; s < trials; s++)
        samples.push(buildEieCsc(randomMask(rows * cols, d, 1000 + s), rows, cols, pes, relBits).padding);
      const mean = samples.reduce((a, b) => a + b, 0) / trials;
      const variance = samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (trials - 1);
      const stdErr = Math.sqrt(variance / trials);
      expect(stdErr).toBeGreaterThan(0);
      expect(Math.abs(mean - expected)).toBeLessThanOrEqual(4 * stdErr);
    }
  });
});
