import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mulberry32 } from '../../../src/sim/prng';
import { cgsElementMask, cgsMask, quantizeCgs } from '../../../src/sim/quant/cgs';
import { target } from './helpers';

describe('CGS block mask (§11)', () => {
  const t = target('cgs.mask');
  const i = t.inputs as { K: number; D: number; Br: number; Bc: number; compression: number; seed: number };

  it('matches cgs.mask', () => {
    const m = cgsMask(i.K, i.D, { br: i.Br, bc: i.Bc, compression: i.compression, seed: i.seed });
    expect(m.blockRows).toBe(t.expected.blockRows);
    expect(m.blockCols).toBe(t.expected.blockCols);
    expect(m.keepPerRow).toBe(t.expected.keepPerRow);
    expect(m.keptBlockColumns).toEqual(t.expected.keptBlockColumns);
    expect(m.realisedCompression).toBe(t.expected.realisedCompression);
  });

  it('every block row keeps the same number of distinct block columns; partial edge blocks are covered', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (K, D, br, bc, compression, seed) => {
          const m = cgsMask(K, D, { br, bc, compression, seed });
          const keep = m.keptBlockColumns[0].length;
          expect(keep).toBeGreaterThanOrEqual(1);
          expect(keep).toBeLessThanOrEqual(m.blockCols);
          for (const row of m.keptBlockColumns) {
            expect(row).toHaveLength(keep);
            expect(new Set(row).size).toBe(keep);
            expect(row.every((c) => c >= 0 && c < m.blockCols)).toBe(true);
          }
          // element mask: each filter keeps exactly the weights of its row's blocks
          const el = cgsElementMask(m, K, D, br, bc);
          for (let k = 0; k < K; k++) {
            let kept = 0;
            for (let d = 0; d < D; d++) kept += el[k * D + d];
            const expected = m.keptBlockColumns[Math.floor(k / br)].reduce(
              (s, c) => s + Math.min(bc, D - c * bc),
              0,
            );
            expect(kept).toBe(expected);
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('quantises kept weights with symmetric b-bit over the kept weights only; dropped weights are 0', () => {
    // K = 2, D = 4, 1×2 blocks -> 2 block columns, compression 2 -> keep 1 per row
    const w = Float32Array.from([0.3, -0.6, 9, 9, -9, 9, 0.15, 0.45]);
    const opts = { br: 1, bc: 2, compression: 2, bits: 3, seed: 7 };
    const m = cgsMask(2, 4, opts);
    const q = quantizeCgs(w, [2, 4], opts);
    const keep = cgsElementMask(m, 2, 4, 1, 2);
    let maxKept = 0;
    w.forEach((v, i) => keep[i] && (maxKept = Math.max(maxKept, Math.abs(v))));
    expect(q.meta.scale).toBe(maxKept / 3);
    w.forEach((_, i) => {
      if (!keep[i]) expect(q.codes[i]).toBe(0);
    });
    expect(q.precision).toBe(3);
    // storage: 2 kept blocks · 1·2 · 3 bits + 2 · ceil(log2 2) index bits + 32
    expect(q.storageBits).toBe(2 * 2 * 3 + 2 * 1 + 32);
  });

  it('reproduces the shuffle written out by hand', () => {
    // K = 1, D = 10, Bc = 1 -> 10 block columns, compression 5 -> keep 2
    const rng = mulberry32(99);
    const idx = [...Array(10).keys()];
    for (let k = 0; k < 2; k++) {
      const j = k + Math.floor(rng() * (10 - k));
      [idx[k], idx[j]] = [idx[j], idx[k]];
    }
    const m = cgsMask(1, 10, { br: 1, bc: 1, compression: 5, seed: 99 });
    expect(m.keptBlockColumns[0]).toEqual(idx.slice(0, 2).sort((a, b) => a - b));
  });
});
