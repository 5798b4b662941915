import { describe, expect, it } from 'vitest';
import { JsConvRunner, type ConvRunner } from '../../../src/sim/infer/conv';
import { foldAffine, packConv } from '../../../src/sim/infer/fold';
import type { ConvShape } from '../../../src/sim/infer/layout';
import { PAIR_PATTERNS, packTernary, ternaryValues } from '../../../src/sim/infer/ternary';
import { wasmKernels } from '../../../src/sim/infer/wasm/kernels';
import { WasmConvRunner } from '../../../src/sim/infer/wasmConv';
import { createEngine } from '../../../src/sim/infer';
import { loadOnnxModel } from '../../../src/sim/model';
import { mulberry32 } from '../../../src/sim/prng';
import { floats, randomValues, singleNodeModel } from '../../helpers/onnxBuilder';
import { referenceConv, relativeError } from './reference';

const simd = wasmKernels();
if (!simd) throw new Error('WebAssembly SIMD is expected in Node 20');
const RUNNERS: Array<[string, () => ConvRunner]> = [
  ['js', () => new JsConvRunner()],
  ['wasm', () => new WasmConvRunner(simd)],
];

describe('ternary detection', () => {
  it('accepts at most one positive and one negative value per filter, each filter its own', () => {
    // filter 0: {-0.5, 0, 2}; filter 1: {0, 3} only; filter 2: all zero (and a -0); filter 3: {-1} only
    const w = [-0.5, 0, 2, 2, 0, 3, 3, 0, 0, 0, -0, 0, -1, -1, -1, -1];
    const values = ternaryValues(w, 4, 4);
    expect(values).not.toBeNull();
    expect(Array.from(values!.plus)).toEqual([2, 3, 0, 0]);
    expect(Array.from(values!.minus)).toEqual([0.5, 0, 0, 1]);
  });

  it('rejects a filter with four distinct values, two positive or two negative values, or NaN', () => {
    expect(ternaryValues([1, -1, 0, 0.5], 1, 4)).toBeNull(); // {-1, 0, 0.5, 1}
    expect(ternaryValues([1, 1, 0, 0, 1, 2, 0, 0], 2, 4)).toBeNull(); // second filter {0, 1, 2}
    expect(ternaryValues([-1, -2, 0, 0], 1, 4)).toBeNull();
    expect(ternaryValues([1, Number.NaN, 0, 0], 1, 4)).toBeNull();
    // three values, but two of them positive
    expect(ternaryValues([0.25, 0.5, 0, 0.25], 1, 4)).toBeNull();
  });

  it('packs rows by the sign pattern of each pair, with the folded factors as coefficients', () => {
    // K = 3 (the third filter is paired with a zero filter), D = 4
    const w = [
      [1, -2, 0, 1], // filter 0: b = 1, a = 2
      [3, 3, -1, 0], // filter 1: b = 3, a = 1
      [0, -4, 0, 0], // filter 2: a = 4
    ].flat();
    const affine = { factor: Float64Array.from([2, 0.5, -1]), offset: Float64Array.from([0.1, 0.2, 0.3]) };
    const t = packTernary(w, 3, 4, affine)!;
    expect(t.pairs).toBe(2);
    const patternIndex = (s1: number, s2: number) =>
      PAIR_PATTERNS.findIndex(([a, b]) => a === s1 && b === s2);
    // pair 0, rows: d0 (+,+), d1 (-,+), d2 (0,-), d3 (+,0)
    const counts0 = new Array(8).fill(0);
    for (const [s1, s2] of [
      [1, 1],
      [-1, 1],
      [0, -1],
      [1, 0],
    ])
      counts0[patternIndex(s1, s2)]++;
    // pair 1: d1 (-,0)
    const counts1 = new Array(8).fill(0);
    counts1[patternIndex(-1, 0)] = 1;
    expect(Array.from(t.counts)).toEqual([...counts0, ...counts1]);
    // rows of pair 0 in pattern order, then pair 1
    const order = PAIR_PATTERNS.map(([s1, s2]) =>
      [
        [1, 1, 0],
        [-1, 1, 1],
        [0, -1, 2],
        [1, 0, 3],
      ].filter(([a, b]) => a === s1 && b === s2),
    ).flat();
    expect(Array.from(t.rows)).toEqual([...order.map((r) => r[2]), 1]);
    // coefficient of pattern (-,+) in pair 0: filter 0 gets -a0 * 2 = -4, filter 1 gets +b1 * 0.5 = 1.5
    const q = patternIndex(-1, 1);
    expect([t.coefficients[2 * q], t.coefficients[2 * q + 1]]).toEqual([-4, 1.5]);
    // pattern (-,0) in pair 1: filter 2 gets -a2 * (-1) = 4; the missing filter 3 gets 0
    const r = 16 + 2 * patternIndex(-1, 0);
    expect([t.coefficients[r], t.coefficients[r + 1]]).toEqual([4, 0]);
    expect(Array.from(t.bias)).toEqual([0.1, 0.2, 0.3, 0].map(Math.fround));
  });

  it('returns null for non-ternary weights, so the float GEMM takes them', () => {
    const affine = foldAffine(1, undefined, undefined);
    expect(packTernary([1, 2, 3, 0], 1, 4, affine)).toBeNull();
  });
});

function shapeOf(C: number, H: number, W: number, K: number, k: number, stride: number, pad: number) {
  const Oh = Math.floor((H + 2 * pad - k) / stride) + 1;
  const Ow = Math.floor((W + 2 * pad - k) / stride) + 1;
  return { C, H, W, K, Kh: k, Kw: k, stride, pad, Oh, Ow } satisfies ConvShape;
}

/** Ternary filters with per-filter values and the given share of zeros; `zeroFilters` lists all-zero ones. */
function ternaryWeights(rng: () => number, K: number, D: number, zeros: number, zeroFilters: number[] = []) {
  const w = new Float32Array(K * D);
  for (let k = 0; k < K; k++) {
    if (zeroFilters.includes(k)) continue;
    const b = 0.2 + rng();
    const a = 0.2 + rng();
    for (let d = 0; d < D; d++) {
      const r = rng();
      w[k * D + d] = r < zeros ? 0 : r < (1 + zeros) / 2 ? -a : b;
    }
  }
  return w;
}

describe('ternary kernels agree with the float GEMM and the direct reference', () => {
  const cases: Array<[number, number, number, number, number, number, number, number]> = [
    // C, H, W, K, kernel, stride, pad, zero share
    [16, 10, 10, 16, 3, 1, 1, 0.45],
    [8, 9, 7, 5, 3, 1, 1, 0.2], // odd K: the last filter is paired with a zero filter
    [6, 12, 12, 12, 3, 2, 1, 0.3],
    [8, 8, 8, 8, 1, 1, 0, 0.4], // direct 1x1: the image itself is the source
    [8, 9, 9, 10, 1, 2, 0, 0.4], // 1x1 stride 2 (downsampling shortcut)
    [3, 11, 10, 4, 5, 2, 2, 0],
    [4, 7, 7, 1, 3, 1, 0, 0.5], // a single filter
    [2, 6, 6, 7, 3, 1, 1, 0.9],
    [3, 13, 11, 6, 3, 3, 1, 0.3], // stride 3: nine phases
  ];
  for (const [runnerName, makeRunner] of RUNNERS) {
    it.each(cases)(
      `${runnerName}: C=%i H=%i W=%i K=%i k=%i stride=%i pad=%i zeros=%f`,
      (C, H, W, K, k, stride, pad, zeros) => {
        const rng = mulberry32(C * 100 + K * 7 + k + stride);
        const s = shapeOf(C, H, W, K, k, stride, pad);
        const D = C * k * k;
        const w = ternaryWeights(rng, K, D, zeros, K > 2 ? [1] : []);
        const affine = {
          factor: Float64Array.from({ length: K }, () => 0.5 + rng()),
          offset: Float64Array.from({ length: K }, () => rng() - 0.5),
        };
        const ternary = packTernary(w, K, D, affine);
        expect(ternary).not.toBeNull();
        const n = 3;
        const x = randomValues(rng, n * C * H * W);
        const runner = makeRunner();
        const viaTernary = new Float32Array(n * K * s.Oh * s.Ow);
        const viaGemm = new Float32Array(viaTernary.length);
        runner.run(ternary!, s, x, viaTernary, n);
        runner.run(packConv(w, K, D, affine), s, x, viaGemm, n);
        const direct = referenceConv(x, n, C, H, W, w, K, k, k, stride, pad);
        const P = s.Oh * s.Ow;
        for (let i = 0; i < direct.length; i++) {
          const f = Math.floor(i / P) % K;
          direct[i] = direct[i] * affine.factor[f] + affine.offset[f];
        }
        expect(relativeError(viaTernary, direct)).toBeLessThan(1e-5);
        expect(relativeError(viaTernary, viaGemm)).toBeLessThan(1e-5);
        // the all-zero filter 1 gives its bias everywhere
        if (K > 2) expect(viaTernary[P]).toBe(Math.fround(affine.offset[1]));
      },
    );
  }

  it.each(RUNNERS)('%s: an all-zero input gives the biases', (_, makeRunner) => {
    const rng = mulberry32(4);
    const s = shapeOf(4, 6, 6, 6, 3, 1, 1);
    const w = ternaryWeights(rng, 6, 36, 0.3);
    const affine = { factor: new Float64Array(6).fill(2), offset: Float64Array.from([1, 2, 3, 4, 5, 6]) };
    const out = new Float32Array(2 * 6 * 36);
    makeRunner().run(packTernary(w, 6, 36, affine)!, s, new Float32Array(2 * 4 * 36), out, 2);
    const expected = Array.from({ length: 2 * 6 * 36 }, (_, i) => 1 + (Math.floor(i / 36) % 6));
    expect(Array.from(out)).toEqual(expected);
  });
});

describe('engine: ternary layers', () => {
  function convModel(weights: Float32Array, K: number, C: number) {
    return loadOnnxModel(
      singleNodeModel({
        opType: 'Conv',
        inputShape: ['N', C, 8, 8],
        attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] },
        initializers: [floats('w', [K, C, 3, 3], weights), floats('b', [K], new Array(K).fill(0.5))],
      }),
    );
  }

  it('detects a ternary conv at creation, and runs it like the float GEMM', () => {
    const rng = mulberry32(12);
    const weights = ternaryWeights(rng, 6, 4 * 9, 0.3);
    const model = convModel(weights, 6, 4);
    const x = randomValues(rng, 2 * 4 * 64);
    for (const kernel of ['js', 'wasm'] as const) {
      const ternary = createEngine(model, { kernel });
      const float = createEngine(model, { kernel, ternary: false });
      expect(ternary.ternaryLayers).toEqual([model.layers[0].name]);
      expect(float.ternaryLayers).toEqual([]);
      const expected = referenceConv(x, 2, 4, 8, 8, weights, 6, 3, 3, 1, 1, new Array(6).fill(0.5));
      expect(relativeError(ternary.run(x, 2).logits, expected)).toBeLessThan(1e-5);
      expect(relativeError(float.run(x, 2).logits, expected)).toBeLessThan(1e-5);
    }
  });

  it('leaves a conv with a four-valued filter on the float GEMM', () => {
    const weights = ternaryWeights(mulberry32(13), 2, 9, 0.3);
    weights.set([-0.5, 0, 0.7, 0.123], 0); // filter 0 now holds four distinct values
    expect(createEngine(convModel(weights, 2, 1)).ternaryLayers).toEqual([]);
  });
});
