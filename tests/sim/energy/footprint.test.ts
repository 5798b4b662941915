import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BREAKDOWN_KEYS,
  EIE_FORMAT,
  deepCompressionFormat,
  sumFootprints,
  weightFootprint,
  weightSharingCompression,
  type WeightFormat,
} from '../../../src/sim/energy/footprint';
import { randomMask, target } from './helpers';

// 4 filters × 8 weights (shape [4, 2, 2, 2]); n = 32, nnz = 5 at flat positions 0, 7, 21, 30, 31.
// prettier-ignore
const M = Int32Array.from([
  1, 0, 0, 0, 0, 0, 0, 2,
  0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 3, 0, 0,
  0, 0, 0, 0, 0, 0, -1, 5,
]);
const SHAPE = [4, 2, 2, 2];

const bitsOf = (format: WeightFormat) => weightFootprint(M, SHAPE, format).bits;

describe('weight footprint of a hand-counted 4 × 8 matrix (§15)', () => {
  it('value-agnostic formats', () => {
    expect(bitsOf({ kind: 'dense', bits: 32 })).toBe(32 * 32);
    expect(bitsOf({ kind: 'dense', bits: 16 })).toBe(16 * 32);
    expect(bitsOf({ kind: 'dense', bits: 8 })).toBe(8 * 32);
    expect(bitsOf({ kind: 'uniform', bits: 4, granularity: 'layer', zeroPoints: false })).toBe(4 * 32 + 32);
    // per channel with zero points: 4 scales + 4 zero points
    expect(bitsOf({ kind: 'uniform', bits: 4, granularity: 'filter', zeroPoints: true })).toBe(
      4 * 32 + 8 * 32,
    );
    expect(bitsOf({ kind: 'twn', granularity: 'layer' })).toBe(64 + 32);
    expect(bitsOf({ kind: 'twn', granularity: 'filter' })).toBe(64 + 4 * 32);
    expect(bitsOf({ kind: 'ttq' })).toBe(64 + 64);
    expect(bitsOf({ kind: 'binary', granularity: 'layer' })).toBe(32 + 32);
    expect(bitsOf({ kind: 'binary', granularity: 'filter' })).toBe(32 + 4 * 32);
    expect(bitsOf({ kind: 'shared', indexBits: 2, valueBits: 32 })).toBe(32 * 2 + 4 * 32);
  });

  it('EIE CSC, one PE, 1-bit relative index', () => {
    // Columns hold 4 local rows. col0: row 0 (gap 0); col5: row 2 (gap 2 -> 1 pad); col6: row 3 (gap 3 -> 1 pad);
    // col7: row 0 (gap 0), row 3 (gap 2 -> 1 pad). 5 real + 3 padding entries of 4 + 1 bits.
    const f = weightFootprint(M, SHAPE, { ...EIE_FORMAT, pes: 1, relBits: 1 });
    expect(f.entries).toEqual({ nnz: 5, padding: 3 });
    expect(f.breakdown).toEqual({
      payload: 5 * 4,
      indices: 5 * 1,
      padding: 3 * 5,
      pointers: 1 * (8 + 1) * 16,
      codebook: 16 * 16,
      scales: 0,
    });
    expect(f.bits).toBe(40 + 144 + 256);
    expect(f.bitsPerWeight).toBe(440 / 32);
    expect(f.compression).toBe(1024 / 440);
  });

  it('EIE CSC, two PEs: rows interleave, slices of 2 rows never need padding with r = 1', () => {
    const f = weightFootprint(M, SHAPE, { ...EIE_FORMAT, pes: 2, relBits: 1 });
    expect(f.entries).toEqual({ nnz: 5, padding: 0 });
    expect(f.bits).toBe(5 * 5 + 2 * 9 * 16 + 256);
  });

  it('Deep Compression relative index, b = 2, r = 2, with the entropy estimate', () => {
    // Gaps before positions 0, 7, 21, 30, 31: 0, 6, 13, 8, 0 -> pads floor(g/4) = 0, 1, 3, 2, 0 = 6.
    const format: WeightFormat = {
      kind: 'deepCompression',
      indexBits: 2,
      relBits: 2,
      codebookValueBits: 32,
      entropy: true,
    };
    const f = weightFootprint(M, SHAPE, format);
    expect(f.entries).toEqual({ nnz: 5, padding: 6 });
    expect(f.bits).toBe(11 * (2 + 2) + 4 * 32);
    // value stream: 6 fillers + 5 distinct values; index stream: 6 × 3 (fillers), 0 × 3, 2, 1 (6 % 4, 13 % 4).
    const valueBits = 6 * Math.log2(11 / 6) + 5 * Math.log2(11);
    const indexBits = 6 * Math.log2(11 / 6) + 3 * Math.log2(11 / 3) + 2 * Math.log2(11);
    expect(f.entropy?.bits).toBeCloseTo(valueBits + indexBits + 128, 10);
  });

  it('Deep Compression entropy uses codebook indices when given', () => {
    const codebookIndex = Int32Array.from(M, (v) => (v === 0 ? -1 : 0)); // all non-zeros share one centroid
    const f = weightFootprint(M, SHAPE, {
      kind: 'deepCompression',
      indexBits: 2,
      relBits: 2,
      codebookValueBits: 32,
      entropy: true,
      codebookIndex,
    });
    const valueBits = 6 * Math.log2(11 / 6) + 5 * Math.log2(11 / 5);
    const indexBits = 6 * Math.log2(11 / 6) + 3 * Math.log2(11 / 3) + 2 * Math.log2(11);
    expect(f.entropy?.bits).toBeCloseTo(valueBits + indexBits + 128, 10);
  });

  it('CGS 2 × 4 blocks, 3-bit codes: 3 of 4 blocks kept', () => {
    // Blocks (row, col): (0,0) has position 0, (0,1) has 7, (1,0) is empty, (1,1) has 21, 30, 31.
    const cgs = { kind: 'cgs', br: 2, bc: 4, bits: 3, maskFromSeed: false } as const;
    const f = weightFootprint(M, SHAPE, cgs);
    expect(f.breakdown).toMatchObject({ payload: 3 * 8 * 3, indices: 3 * 1, scales: 32 });
    expect(f.bits).toBe(72 + 3 + 32);
    expect(bitsOf({ ...cgs, maskFromSeed: true })).toBe(72 + 32 + 32);
    expect(bitsOf({ ...cgs, keptBlocks: 4 })).toBe(96 + 4 + 32);
  });

  it('a fully pruned layer has no codebook in Deep Compression', () => {
    const f = weightFootprint(new Int32Array(32), SHAPE, deepCompressionFormat('conv'));
    expect(f.bits).toBe(0);
    expect(f.nnz).toBe(0);
  });

  it('rejects codes that do not match the shape', () => {
    expect(() => weightFootprint(M, [4, 2, 2], { kind: 'ttq' })).toThrow(RangeError);
  });
});

describe('footprint invariants', () => {
  const formats: WeightFormat[] = [
    { kind: 'dense', bits: 16 },
    { kind: 'uniform', bits: 5, granularity: 'filter', zeroPoints: true },
    { kind: 'twn', granularity: 'filter' },
    { kind: 'binary', granularity: 'layer' },
    { ...EIE_FORMAT, pes: 4 },
    { ...deepCompressionFormat('fc'), entropy: true },
    { kind: 'cgs', br: 4, bc: 4, bits: 3, maskFromSeed: false },
  ];

  it('bits = Σ breakdown, ratios follow from bits; Deep Compression matches a naive encoder', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (K, D, density, seed) => {
          const codes = randomMask(K * D, density, seed);
          for (const format of formats) {
            const f = weightFootprint(codes, [K, D], format);
            expect(f.bits).toBe(BREAKDOWN_KEYS.reduce((s, k) => s + f.breakdown[k], 0));
            expect(f.bitsPerWeight).toBeCloseTo(f.bits / (K * D), 12);
            if (f.bits > 0) expect(f.compression).toBeCloseTo((32 * K * D) / f.bits, 12);
          }
          // Naive relative-index encoder: emit the entry list, then count bits.
          const dc = deepCompressionFormat('fc');
          const span = 2 ** dc.relBits;
          const entries: number[] = [];
          let zeros = 0;
          for (const v of codes) {
            if (v === 0) zeros++;
            else {
              for (; zeros >= span; zeros -= span) entries.push(0);
              entries.push(v);
              zeros = 0;
            }
          }
          const nnz = entries.filter((v) => v !== 0).length;
          const naive = entries.length * (dc.indexBits + dc.relBits) + (nnz > 0 ? 2 ** dc.indexBits * 32 : 0);
          const f = weightFootprint(codes, [K, D], dc);
          expect(f.bits).toBe(naive);
          // Both symbol alphabets fit the fixed widths here, so ideal entropy coding cannot be larger.
          expect(f.entropy?.bits ?? 0).toBeLessThanOrEqual(naive + 1e-9);
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('network totals are sums of layers', () => {
    const a = weightFootprint(M, SHAPE, { kind: 'twn', granularity: 'layer' });
    const b = weightFootprint(randomMask(64, 0.5, 3), [8, 8], { kind: 'dense', bits: 8 });
    const t = sumFootprints([a, b]);
    expect(t.n).toBe(96);
    expect(t.bits).toBe(96 + 512);
    expect(t.bitsPerWeight).toBe(608 / 96);
    expect(t.compression).toBe((32 * 96) / 608);
    expect(t.entropyBits).toBeUndefined();
  });
});

describe('Deep Compression weight sharing formula', () => {
  it('n·b / (n·log2 k + k·b) equals the direct bit count of shared storage', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(8, 16, 32),
        (n, indexBits, b) => {
          const codes = new Int32Array(n);
          const dense = weightFootprint(codes, [n], { kind: 'dense', bits: b }).bits;
          const shared = weightFootprint(codes, [n], { kind: 'shared', indexBits, valueBits: b }).bits;
          expect(weightSharingCompression(n, 2 ** indexBits, b)).toBeCloseTo(dense / shared, 12);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('ResNet-18 conv weights (footprint.resnet18)', () => {
  it('matches the target, with the geometry of resnet18.macs', () => {
    const t = target('footprint.resnet18');
    const layers = target('resnet18.macs').inputs.layers as {
      count: number;
      C: number;
      K: number;
      kernel: number;
    }[];
    const fp32 = [];
    const twn = [];
    let convLayers = 0;
    for (const [li, l] of layers.entries())
      for (let r = 0; r < l.count; r++) {
        convLayers++;
        const shape = [l.K, l.C, l.kernel, l.kernel];
        const codes = new Int32Array(l.K * l.C * l.kernel * l.kernel);
        fp32.push(weightFootprint(codes, shape, { kind: 'dense', bits: 32 }));
        twn.push(
          weightFootprint(
            codes,
            shape,
            li === 0 ? { kind: 'dense', bits: 32 } : { kind: 'twn', granularity: 'layer' },
          ),
        );
      }
    expect(convLayers).toBe(t.inputs.convLayers);
    expect(fp32[0].n).toBe(t.inputs.firstConvWeights);
    const dense = sumFootprints(fp32);
    const ternary = sumFootprints(twn);
    expect(dense.n).toBe(t.expected.convWeights);
    expect(dense.bits).toBe(t.expected.fp32Bits);
    expect(ternary.bits).toBe(t.expected.twnFirstConvFp32Bits);
    expect(Math.abs(ternary.compression - t.expected.ratio)).toBeLessThanOrEqual(t.tolerance.value as number);
    const { C, K } = target('resnet18.fc').inputs as { C: number; K: number };
    const fcWeights = weightFootprint(new Int32Array(C * K), [K, C], { kind: 'dense', bits: 32 });
    expect(fcWeights.n).toBe(t.expected.fcWeights);
  });
});
