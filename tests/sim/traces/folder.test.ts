import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  exportTraceFolder,
  loadTraceFolder,
  type TraceExportLayer,
  type TraceFiles,
} from '../../../src/sim/traces/folder';
import { readNpy, writeNpy } from '../../../src/sim/traces/npy';
import type { LayerGeometry } from '../../../src/sim/types';

const text = (s: string) => new TextEncoder().encode(s);
const f32 = (shape: number[], values: number[]) => writeNpy({ data: new Float32Array(values), shape });

function memFiles(files: Map<string, Uint8Array>): TraceFiles {
  return {
    list: () => [...files.keys()],
    read: (name) => {
      const b = files.get(name);
      if (!b) throw new Error(`test: no ${name}`);
      return b;
    },
  };
}

/*
 * Hand-computed codes. precision.txt below gives
 *   conv1: activations mag 3 frac 2 -> x*4 clamped to ±15;  weights mag 1 frac 3 -> x*8 clamped to ±7
 *   fc:    activations mag 4 frac 1 -> x*2 clamped to ±15;  weights mag 2 frac 4 -> x*16 clamped to ±31
 * and rounding is half away from zero. Values are float32 (1.1f = 1.10000002, 3.6f = 3.5999999, ...).
 */
const CONV_ACT: Array<[number, number]> = [
  [0, 0],
  [0.25, 1],
  [0.375, 2], // 1.5 -> 2
  [-0.375, -2], // -1.5 -> -2
  [0.125, 1], // 0.5 -> 1
  [-0.125, -1],
  [1.1, 4], // 4.4
  [3.6, 14], // 14.4
  [3.74, 15], // 14.96
  [10, 15], // clamp
  [-3.9, -15], // -15.6 clamp
  [-0.6, -2], // -2.4
];
const CONV_WGT: Array<[number, number]> = [
  [0.0625, 1], // 0.5
  [-0.0625, -1],
  [0.3, 2], // 2.4
  [5, 7], // clamp
  [-5, -7],
  [0.1875, 2], // 1.5
  [-0.1875, -2],
  [0, 0],
  [0.8, 6], // 6.4
  [0.8125, 7], // 6.5
  [-0.9, -7], // -7.2
];
const FC_ACT: Array<[number, number]> = [
  [0.25, 1], // 0.5
  [-0.25, -1],
  [0.75, 2], // 1.5
  [7.4, 15], // 14.8
  [100, 15], // clamp
  [-7.3, -15], // -14.6
  [0.2, 0], // 0.4
];
const FC_WGT: Array<[number, number]> = [
  [0.03125, 1], // 0.5
  [-0.03125, -1],
  [1.9, 30], // 30.4
  [1.95, 31], // 31.2
  [2, 31], // 32 clamp
  [-1.97, -31], // -31.52 clamp
  [0.5, 8],
  [-0.09375, -2], // -1.5
  [0.09, 1], // 1.44
  [0, 0],
];

/** n values cycling through a (value, code) table from `offset`. */
function pick(table: Array<[number, number]>, n: number, offset: number) {
  const rows = Array.from({ length: n }, (_, i) => table[(i * 5 + offset) % table.length]);
  return { values: rows.map((r) => r[0]), codes: rows.map((r) => r[1]) };
}

function tinyFolder() {
  const convImages = [0, 1, 2].map((n) => pick(CONV_ACT, 18, n * 3)); // 2 x 3 x 3 per image
  const fcImages = [0, 1, 2].map((n) => pick(FC_ACT, 4, n));
  const convW = pick(CONV_WGT, 16, 0); // 2 x 2 x 2 x 2
  const fcW = pick(FC_WGT, 12, 0); // 3 x 4
  const files = new Map<string, Uint8Array>([
    ['trace_params.csv', text('name,K,Kx,Ky,stride,padding\r\nconv1,2,2,2,1,1\r\nfc,3,1,1,1,0\r\n')],
    [
      'precision.txt',
      text('magnitude (+1 of the sign), fraction, wgt_magnitude, wgt_fraction\n3;4;\n2;1;\n1;2;\n3;4;\n'),
    ],
    // batch 0 holds two images, batch 1 one
    ['act-conv1-0.npy', f32([2, 2, 3, 3], [...convImages[0].values, ...convImages[1].values])],
    ['act-conv1-1.npy', f32([1, 2, 3, 3], convImages[2].values)],
    ['wgt-conv1.npy', f32([2, 2, 2, 2], convW.values)],
    ['act-fc-0.npy', f32([2, 4], [...fcImages[0].values, ...fcImages[1].values])],
    ['act-fc-1.npy', f32([1, 4], fcImages[2].values)],
    ['wgt-fc.npy', f32([3, 4], fcW.values)],
  ]);
  return { files, convImages, fcImages, convW, fcW };
}

describe('loadTraceFolder on a hand-made folder', () => {
  it('gives geometry, precisions and hand-computed codes, one act array per image', () => {
    const t = tinyFolder();
    const { layers, warnings, precisions } = loadTraceFolder(memFiles(t.files));
    expect(warnings).toEqual([]);
    expect(precisions).toEqual([
      { actMag: 3, actFrac: 2, wgtMag: 1, wgtFrac: 3 },
      { actMag: 4, actFrac: 1, wgtMag: 2, wgtFrac: 4 },
    ]);
    const [conv, fcl] = layers;
    expect(conv.name).toBe('conv1');
    expect(conv.geometry).toEqual({ kind: 'conv', C: 2, H: 3, W: 3, K: 2, Kh: 2, Kw: 2, stride: 1, pad: 1 });
    expect([conv.index, conv.pa, conv.pw, conv.wb, conv.isFirst, conv.synthetic]).toEqual([
      0,
      5,
      4,
      16,
      true,
      false,
    ]);
    expect(conv.acts.map((a) => Array.from(a))).toEqual(t.convImages.map((im) => im.codes));
    expect(Array.from(conv.weights)).toEqual(t.convW.codes);

    expect(fcl.name).toBe('fc');
    expect(fcl.geometry).toEqual({ kind: 'fc', C: 4, H: 1, W: 1, K: 3, Kh: 1, Kw: 1, stride: 1, pad: 0 });
    expect([fcl.index, fcl.pa, fcl.pw, fcl.wb, fcl.isFirst]).toEqual([1, 5, 6, 16, false]);
    expect(fcl.acts.map((a) => Array.from(a))).toEqual(t.fcImages.map((im) => im.codes));
    expect(Array.from(fcl.weights)).toEqual(t.fcW.codes);
    expect(conv.weights).toBeInstanceOf(Int32Array);
  });

  it("uses DNNsim's generic 16-bit precisions (14:2 / 1:15) without precision.txt, with a warning", () => {
    const t = tinyFolder();
    t.files.delete('precision.txt');
    const { layers, warnings } = loadTraceFolder(memFiles(t.files));
    expect(warnings).toEqual([
      'precision.txt not found: DNNsim generic precisions for a 16-bit network (activations 14:2, weights 1:15)',
    ]);
    expect([layers[0].pa, layers[0].pw]).toEqual([16, 16]);
    // weights: 0.0625*32768 = 2048, 0.3f*32768 = 9830.4 -> 9830, 5 -> 32767, -0.9f*32768 = -29491.2 -> -29491
    const w = Array.from(layers[0].weights);
    const byValue = new Map(t.convW.values.map((v, i) => [v, w[i]]));
    expect(byValue.get(0.3)).toBe(9830);
    expect(byValue.get(5)).toBe(32767);
    expect(byValue.get(-5)).toBe(-32767);
    expect(byValue.get(-0.9)).toBe(-29491);
    expect(byValue.get(0.0625)).toBe(2048);
    expect(byValue.get(0.8125)).toBe(26624);
    // activations: x*4, 10 -> 40, 3.74f*4 = 14.96 -> 15, -3.9f*4 = -15.6 -> -16
    const a = new Map(t.convImages[0].values.map((v, i) => [v, layers[0].acts[0][i]]));
    expect([a.get(10), a.get(3.74), a.get(-3.9), a.get(0.125)]).toEqual([40, 15, -16, 1]);
  });

  it("precision 'generic' ignores precision.txt; networkBits 8 gives 7:1 / 1:7 and wb 8", () => {
    const t = tinyFolder();
    const g = loadTraceFolder(memFiles(t.files), { precision: 'generic', networkBits: 8 });
    expect(g.warnings).toEqual([]);
    expect(g.precisions[0]).toEqual({ actMag: 7, actFrac: 1, wgtMag: 1, wgtFrac: 7 });
    expect([g.layers[0].pa, g.layers[0].pw, g.layers[0].wb]).toEqual([8, 8, 8]);
    const a = new Map(t.convImages[0].values.map((v, i) => [v, g.layers[0].acts[0][i]]));
    // x*2 clamped to ±127: 10 -> 20, 3.74f -> 7.48 -> 7, 0.375 -> 0.75 -> 1, -0.375 -> -1
    expect([a.get(10), a.get(3.74), a.get(0.375), a.get(-0.375)]).toEqual([20, 7, 1, -1]);
  });

  it('maxImages and batches choose the images', () => {
    const t = tinyFolder();
    const two = loadTraceFolder(memFiles(t.files), { maxImages: 2 });
    expect(two.layers[0].acts.map((a) => Array.from(a))).toEqual([
      t.convImages[0].codes,
      t.convImages[1].codes,
    ]);
    expect(two.warnings).toEqual(['2 trace file(s) not used: act-conv1-1.npy, act-fc-1.npy']);
    expect(() => loadTraceFolder(memFiles(t.files), { batches: [1, 1] })).toThrow(
      /batches must be distinct integers/,
    );
    const b1 = loadTraceFolder(memFiles(t.files), { batches: [1] });
    expect(b1.layers[1].acts.map((a) => Array.from(a))).toEqual([t.fcImages[2].codes]);
  });

  it('matches files by base name inside sub-folders (dropped folders)', () => {
    const t = tinyFolder();
    const nested = new Map([...t.files].map(([k, v]) => [`resnet/traces/${k}`, v]));
    const { layers } = loadTraceFolder(memFiles(nested));
    expect(Array.from(layers[1].weights)).toEqual(t.fcW.codes);
    nested.set('other/wgt-fc.npy', nested.get('resnet/traces/wgt-fc.npy')!);
    expect(() => loadTraceFolder(memFiles(nested))).toThrow(/wgt-fc\.npy is ambiguous/);
  });

  it("reads DNNsim HEAD's model.csv when trace_params.csv is absent", () => {
    const t = tinyFolder();
    t.files.delete('trace_params.csv');
    t.files.set('model.csv', text('conv1,conv,1,1\nfc,fc,1,0\n'));
    const { layers } = loadTraceFolder(memFiles(t.files));
    expect(layers.map((l) => l.geometry.kind)).toEqual(['conv', 'fc']);
    expect(layers[0].geometry.pad).toBe(1);
  });

  it('warns when trace_params.csv disagrees with the tensors and about DNNsim LSTM names', () => {
    const t = tinyFolder();
    t.files.set('trace_params.csv', text('conv1,4,3,2,1,1\nfc,3,1,1,2,0\n'));
    const { layers, warnings } = loadTraceFolder(memFiles(t.files));
    expect(layers[0].geometry.K).toBe(2);
    expect(warnings).toEqual([
      "layer 'conv1' (trace_params.csv line 1): K,Kx,Ky = 4,3,2 but the tensors give 2,2,2; the tensors are used (as DNNsim does)",
      "layer 'fc' (trace_params.csv line 2): FC layer, stride 2 / padding 0 ignored",
    ]);
  });

  it('reads a 1x1 conv on a 1x1 input, FC weights of K x C x 1 x 1 and flattened FC inputs as FC', () => {
    const files = new Map<string, Uint8Array>([
      ['trace_params.csv', text('head,2,1,1,1,0\nclassifier,2,1,1,1,0\n')],
      ['act-head-0.npy', f32([1, 3, 1, 1], [1, 2, 3])],
      ['wgt-head.npy', f32([2, 3, 1, 1], [0, 0, 0, 0, 0, 0])],
      // an FC layer whose input is a 2x2x2 map flattened to 8 features (weights K x C x H x W)
      ['act-classifier-0.npy', f32([1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8])],
      ['wgt-classifier.npy', f32([2, 8], new Array(16).fill(0))],
      ['precision.txt', text('h\n8;8;\n0;0;\n1;1;\n7;7;\n')],
    ]);
    const { layers } = loadTraceFolder(memFiles(files));
    expect(layers[0].geometry).toEqual({
      kind: 'fc',
      C: 3,
      H: 1,
      W: 1,
      K: 2,
      Kh: 1,
      Kw: 1,
      stride: 1,
      pad: 0,
    });
    expect(layers[0].isFirst).toBe(false);
    expect(layers[1].geometry.kind).toBe('fc');
    expect(layers[1].geometry.C).toBe(8);
    expect(Array.from(layers[1].acts[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('loadTraceFolder errors name the file and the problem', () => {
  const cases: Array<[string, (f: Map<string, Uint8Array>) => void, RegExp]> = [
    [
      'no layer list',
      (f) => f.delete('trace_params.csv'),
      /no trace_params\.csv \(nor DNNsim HEAD model\.csv\)/,
    ],
    [
      'missing weights',
      (f) => f.delete('wgt-fc.npy'),
      /layer 'fc' \(trace_params\.csv line 3\): missing wgt-fc\.npy/,
    ],
    [
      'missing batch',
      (f) => f.delete('act-fc-1.npy'),
      /layer 'fc' \(trace_params\.csv line 3\): missing act-fc-1\.npy/,
    ],
    [
      'no activations',
      (f) => (f.delete('act-conv1-0.npy'), f.delete('act-conv1-1.npy')),
      /no act-conv1-<n>\.npy/,
    ],
    [
      'bad csv',
      (f) => f.set('trace_params.csv', text('conv1,2,2,2,1\n')),
      /trace_params\.csv line 1: expected 6 fields/,
    ],
    [
      'bad precision',
      (f) => f.set('precision.txt', text('h\n3;4;\n2;1;\n1;2;\n')),
      /precision\.txt line 5: missing/,
    ],
    [
      'truncated npy',
      (f) => f.set('wgt-conv1.npy', f.get('wgt-conv1.npy')!.subarray(0, 140)),
      /wgt-conv1\.npy: truncated data/,
    ],
    [
      'grouped conv',
      (f) => f.set('wgt-conv1.npy', f32([2, 1, 2, 2], new Array(8).fill(0))),
      /1 input channels, the activations 2 \(grouped/,
    ],
    [
      'fc size',
      (f) => f.set('wgt-fc.npy', f32([3, 5], new Array(15).fill(0))),
      /layer 'fc' \(FC\): wgt-fc\.npy \(3, 5\) does not match the 4 input features/,
    ],
    ['NaN', (f) => f.set('act-fc-1.npy', f32([1, 4], [0, 1, NaN, 2])), /act-fc-1\.npy: element 2 is NaN/],
    [
      '3-D act',
      (f) => f.set('act-fc-1.npy', f32([1, 2, 2], [0, 1, 0, 2])),
      /act-fc-1\.npy: shape \(1, 2, 2\) is not N x C x H x W/,
    ],
    [
      'shape change',
      (f) => f.set('act-conv1-1.npy', f32([1, 2, 2, 2], new Array(8).fill(0))),
      /act-conv1-1\.npy: images of shape \(2, 2, 2\) differ/,
    ],
  ];
  it.each(cases)('%s', (_label, mutate, message) => {
    const t = tinyFolder();
    mutate(t.files);
    expect(() => loadTraceFolder(memFiles(t.files))).toThrow(message);
  });

  it('rejects a kernel larger than the padded input', () => {
    const t = tinyFolder();
    t.files.set('wgt-conv1.npy', f32([2, 2, 4, 4], new Array(64).fill(0)));
    t.files.set('trace_params.csv', text('conv1,2,4,4,1,0\nfc,3,1,1,1,0\n'));
    expect(() => loadTraceFolder(memFiles(t.files))).toThrow(
      /4x4 kernel is larger than the padded 3x3 input/,
    );
  });
});

describe('exportTraceFolder', () => {
  it('writes the DNNsim layout', () => {
    const files = exportTraceFolder([
      {
        name: 'conv1',
        geometry: { kind: 'conv', C: 1, H: 2, W: 2, K: 1, Kh: 2, Kw: 2, stride: 2, pad: 1 },
        actsFloat: [new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8])],
        weightsFloat: new Float32Array([0.5, -0.5, 0.25, 0]),
        precision: { actMag: 4, actFrac: 2, wgtMag: 1, wgtFrac: 7 },
      },
      {
        name: 'fc',
        geometry: { kind: 'fc', C: 3, H: 1, W: 1, K: 2, Kh: 1, Kw: 1, stride: 1, pad: 0 },
        actsFloat: [new Float32Array([1, 0, 1]), new Float32Array([0, 1, 0])],
        weightsFloat: new Float32Array([1, 2, 3, 4, 5, 6]),
        precision: { actMag: 5, actFrac: 3, wgtMag: 2, wgtFrac: 6 },
      },
    ]);
    expect([...files.keys()].sort()).toEqual([
      'act-conv1-0.npy',
      'act-fc-0.npy',
      'precision.txt',
      'trace_params.csv',
      'wgt-conv1.npy',
      'wgt-fc.npy',
    ]);
    const dec = (k: string) => new TextDecoder().decode(files.get(k));
    expect(dec('trace_params.csv')).toBe('conv1,1,2,2,2,1\nfc,2,1,1,1,0\n');
    expect(dec('precision.txt')).toBe(
      'magnitude (+1 of the sign), fraction, wgt_magnitude, wgt_fraction\n4;5;\n2;3;\n1;2;\n7;6;\n',
    );
    const act = readNpy(files.get('act-conv1-0.npy')!);
    expect([act.descr, act.shape]).toEqual(['<f4', [2, 1, 2, 2]]);
    expect(Array.from(act.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(readNpy(files.get('act-fc-0.npy')!).shape).toEqual([2, 3, 1, 1]);
    expect(readNpy(files.get('wgt-fc.npy')!).shape).toEqual([2, 3, 1, 1]);
    expect(readNpy(files.get('wgt-conv1.npy')!).shape).toEqual([1, 1, 2, 2]);
  });

  it.each([
    ['a,b', /layer name 'a,b' cannot be written/],
    [' x', /cannot be written/],
    ['dir/x', /cannot be written/],
  ])('rejects the layer name %j', (name, message) => {
    const layer = {
      name,
      geometry: { kind: 'fc', C: 1, H: 1, W: 1, K: 1, Kh: 1, Kw: 1, stride: 1, pad: 0 } as LayerGeometry,
      actsFloat: [new Float32Array(1)],
      weightsFloat: new Float32Array(1),
      precision: { actMag: 1, actFrac: 1, wgtMag: 1, wgtFrac: 1 },
    };
    expect(() => exportTraceFolder([layer])).toThrow(message);
  });

  it('rejects inconsistent tensors and precisions', () => {
    const base: TraceExportLayer = {
      name: 'fc',
      geometry: { kind: 'fc', C: 2, H: 1, W: 1, K: 1, Kh: 1, Kw: 1, stride: 1, pad: 0 },
      actsFloat: [new Float32Array(2)],
      weightsFloat: new Float32Array(2),
      precision: { actMag: 1, actFrac: 1, wgtMag: 1, wgtFrac: 1 },
    };
    expect(() => exportTraceFolder([{ ...base, actsFloat: [new Float32Array(3)] }])).toThrow(
      /image 0 has 3 values, geometry needs 2/,
    );
    expect(() => exportTraceFolder([{ ...base, weightsFloat: new Float32Array(1) }])).toThrow(
      /has 1 weights, geometry needs 2/,
    );
    expect(() => exportTraceFolder([{ ...base, actsFloat: [] }])).toThrow(/has no images/);
    expect(() =>
      exportTraceFolder([{ ...base, precision: { actMag: 9, actFrac: 9, wgtMag: 1, wgtFrac: 1 } }]),
    ).toThrow(/exceeds 16 bits/);
    expect(() => exportTraceFolder([base, base])).toThrow(/'fc' appears twice/);
  });
});

/** Independent profiled rule for float32 inputs: |x|·2^frac + 0.5 is exact here, so floor works. */
function naiveCode(x: number, mag: number, frac: number): number {
  const lim = 2 ** (mag - 1 + frac) - 1;
  const v = Math.max(-lim, Math.min(lim, x * 2 ** frac));
  const r = Math.floor(Math.abs(v) + 0.5);
  return v < 0 ? 0 - r : r; // 0 - 0 is +0, as Int32Array codes are
}

describe('export -> import round trip (property)', () => {
  const pair = fc
    .tuple(fc.integer({ min: 1, max: 16 }), fc.integer({ min: -3, max: 15 }))
    .filter(([m, f]) => m - 1 + f >= 0 && m + f <= 16);
  const convGeom = fc
    .record({
      C: fc.integer({ min: 1, max: 3 }),
      H: fc.integer({ min: 1, max: 4 }),
      W: fc.integer({ min: 1, max: 4 }),
      K: fc.integer({ min: 1, max: 3 }),
      Kh: fc.integer({ min: 1, max: 3 }),
      Kw: fc.integer({ min: 1, max: 3 }),
      stride: fc.integer({ min: 1, max: 2 }),
      pad: fc.integer({ min: 0, max: 1 }),
    })
    .filter(
      (g) =>
        g.Kh <= g.H + 2 * g.pad &&
        g.Kw <= g.W + 2 * g.pad &&
        !(g.H === 1 && g.W === 1 && g.Kh === 1 && g.Kw === 1),
    )
    .map((g): LayerGeometry => ({ kind: 'conv', ...g }));
  const fcGeom = fc
    .record({ C: fc.integer({ min: 1, max: 6 }), K: fc.integer({ min: 1, max: 3 }) })
    .map((g): LayerGeometry => ({ kind: 'fc', C: g.C, H: 1, W: 1, K: g.K, Kh: 1, Kw: 1, stride: 1, pad: 0 }));
  const value = fc.oneof(
    fc.float({ noNaN: true }),
    fc.float({ min: -4, max: 4, noNaN: true }),
    fc.constantFrom(0.5, -0.5, 1.5, -2.5, 0.25),
  );

  const net = fc.integer({ min: 1, max: 3 }).chain((images) =>
    fc.array(
      fc.tuple(fc.oneof(convGeom, fcGeom), pair, pair).chain(([g, a, w]) => {
        const perImage = g.C * g.H * g.W;
        return fc.record({
          geometry: fc.constant(g),
          precision: fc.constant({ actMag: a[0], actFrac: a[1], wgtMag: w[0], wgtFrac: w[1] }),
          actsFloat: fc.array(
            fc.array(value, { minLength: perImage, maxLength: perImage }).map((v) => new Float32Array(v)),
            {
              minLength: images,
              maxLength: images,
            },
          ),
          weightsFloat: fc
            .array(value, { minLength: g.K * g.C * g.Kh * g.Kw, maxLength: g.K * g.C * g.Kh * g.Kw })
            .map((v) => new Float32Array(v)),
        });
      }),
      { minLength: 1, maxLength: 3 },
    ),
  );

  it('gives back the geometry and the codes of the profiled rule', () => {
    fc.assert(
      fc.property(net, (specs) => {
        const layers: TraceExportLayer[] = specs.map((s, i) => ({
          ...s,
          name: `${s.geometry.kind === 'fc' ? 'fc' : 'conv'}${i}`,
        }));
        const back = loadTraceFolder(memFiles(exportTraceFolder(layers)));
        expect(back.warnings).toEqual([]);
        const firstConv = layers.findIndex((l) => l.geometry.kind === 'conv');
        back.layers.forEach((l, i) => {
          const src = layers[i];
          const p = src.precision;
          expect(l.name).toBe(src.name);
          expect(l.geometry).toEqual(src.geometry);
          expect([l.pa, l.pw, l.wb, l.isFirst]).toEqual([
            p.actMag + p.actFrac,
            p.wgtMag + p.wgtFrac,
            16,
            i === firstConv,
          ]);
          expect(Array.from(l.weights)).toEqual(
            Array.from(src.weightsFloat, (x) => naiveCode(x, p.wgtMag, p.wgtFrac)),
          );
          expect(l.acts.map((a) => Array.from(a))).toEqual(
            src.actsFloat.map((im) => Array.from(im, (x) => naiveCode(x, p.actMag, p.actFrac))),
          );
        });
      }),
      { seed: 42, numRuns: 150 },
    );
  });
});
