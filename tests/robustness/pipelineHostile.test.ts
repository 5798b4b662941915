/**
 * The pipeline on hostile-but-valid inputs (issue 9): models that load (1x1 images, one filter per layer,
 * hundreds of layers, extreme weights) either simulate to a report whose numbers are all finite, or stop
 * with an Error that names the problem, never a raw TypeError/RangeError.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig, type SimConfig, type WeightScheme } from '../../src/sim/config';
import { buildOnnxModel, buildResNet, type TensorSpec } from '../../src/sim/model/build';
import { ModelLoadError } from '../../src/sim/model';
import { parseDataset, runPipeline, simulateNetwork } from '../../src/sim/pipeline';
import { exportTraceFolder, loadTraceFolder } from '../../src/sim/traces/folder';
import type { SimReport } from '../../src/sim/report';
import { randomDataset } from '../helpers/smallNetwork';
import { WorstCase } from './timing';

const worst = new WorstCase('runPipeline');
afterAll(() => console.log(worst.summary()));

const SCHEMES: WeightScheme[] = [
  'fixed',
  'uniform',
  'tensorflow8b',
  'twn',
  'ttq',
  'ttqFixedSparsity',
  'binary',
  'cgs',
];

function config(patch: (c: SimConfig) => void = () => {}): SimConfig {
  const c = structuredClone(defaultConfig('custom'));
  patch(c);
  return c;
}

/** Paths of every number in the report that is NaN or infinite (JSON would turn them into null). */
function nonFinite(value: unknown, path = 'report', out: string[] = []): string[] {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push(`${path} = ${value}`);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) nonFinite(inner, `${path}.${key}`, out);
  }
  return out;
}

type Outcome = { report: SimReport } | { error: Error };

function run(label: string, bytes: Uint8Array, shape: [number, number, number], cfg = config()): Outcome {
  try {
    return worst.time(label, () => ({
      report: runPipeline(cfg, { modelBytes: bytes, dataset: randomDataset(2, shape) }),
    })).result;
  } catch (error) {
    if (!(error instanceof Error) || error instanceof TypeError || error instanceof RangeError) {
      throw new Error(
        `${label}: raw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      );
    }
    return { error };
  }
}

function expectWorks(label: string, outcome: Outcome, layers?: number): SimReport {
  if ('error' in outcome) throw new Error(`${label}: ${outcome.error.message}`);
  expect(nonFinite(outcome.report), label).toEqual([]);
  if (layers !== undefined) expect(outcome.report.layers.length, label).toBe(layers);
  for (const layer of outcome.report.layers) {
    for (const result of Object.values(layer.results)) {
      expect(result.cycles, `${label} ${layer.name}`).toBeGreaterThanOrEqual(0);
      expect(result.baselineCycles, `${label} ${layer.name}`).toBeGreaterThan(0);
    }
  }
  return outcome.report;
}

const fill = (name: string, dims: number[], value: (i: number) => number): TensorSpec => ({
  name,
  dims,
  values: Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => value(i)),
});

/** conv 3x3 (pad 1) -> Flatten -> Gemm, every weight given by `value`. */
function twoLayerModel(value: (i: number) => number): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'x', shape: [1, 1, 3, 3] }],
    outputs: [{ name: 'y' }],
    nodes: [
      {
        opType: 'Conv',
        name: 'conv',
        inputs: ['x', 'conv.weight'],
        outputs: ['c'],
        attributes: { pads: [1, 1, 1, 1] },
      },
      { opType: 'Flatten', name: 'flat', inputs: ['c'], outputs: ['f'] },
      { opType: 'Gemm', name: 'fc', inputs: ['f', 'fc.weight'], outputs: ['y'], attributes: { transB: 1 } },
    ],
    initializers: [fill('conv.weight', [2, 1, 3, 3], value), fill('fc.weight', [2, 18], value)],
  });
}

describe('degenerate but valid networks simulate to finite reports', () => {
  it('1x1 images through a ResNet (strided 1x1 convs on a single pixel), 1 and 3 channels', () => {
    for (const channels of [1, 3]) {
      const bytes = buildResNet({
        seed: 1,
        inputShape: [1, channels, 1, 1],
        stages: 3,
        blocksPerStage: 1,
        widths: [2, 3, 4],
        classes: 2,
      });
      expectWorks(
        `1x1 resnet, ${channels} channels`,
        run(`1x1 resnet ${channels}`, bytes, [channels, 1, 1]),
        10,
      );
    }
  });

  it('one filter per layer and one class (K = 1 everywhere)', () => {
    const bytes = buildResNet({
      seed: 2,
      inputShape: [1, 1, 4, 4],
      stages: 2,
      blocksPerStage: 1,
      widths: [1, 1],
      classes: 1,
    });
    expectWorks('K = 1', run('K = 1', bytes, [1, 4, 4]), 7);
  });

  it('800 conv layers in a chain (far below maxNodes) run to a report in linear time', () => {
    const count = 800;
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 2, 2] }],
      outputs: [{ name: 'y' }],
      nodes: Array.from({ length: count }, (_, i) => ({
        opType: 'Conv',
        inputs: [i ? `t${i - 1}` : 'x', 'w'],
        outputs: [i === count - 1 ? 'y' : `t${i}`],
      })),
      initializers: [{ name: 'w', dims: [1, 1, 1, 1], values: [0.9] }],
    });
    const dataset = randomDataset(2, [1, 2, 2]);
    const timed = worst.time(`${count} layers`, () => runPipeline(config(), { modelBytes: bytes, dataset }));
    expectWorks(`${count} layers`, { report: timed.result }, count);
    console.log(`${count}-layer chain: ${timed.ms.toFixed(0)} ms CPU, ${timed.wallMs.toFixed(0)} ms wall`);
  });

  it('a network without conv/FC layers, and one whose output is its input, give empty reports', () => {
    const reluOnly = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 2, 2] }],
      outputs: [{ name: 'y' }],
      nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }],
    });
    expectWorks('relu only', run('relu only', reluOnly, [1, 2, 2]), 0);
    const passThrough = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 2, 2] }],
      outputs: [{ name: 'x' }],
      nodes: [],
    });
    expectWorks('output = input', run('output = input', passThrough, [1, 2, 2]), 0);
  });
});

describe('extreme weights under every weight scheme', () => {
  const WEIGHTS: Array<[string, (i: number) => number]> = [
    ['all zero', () => 0],
    ['all 1e30, alternating sign', (i) => (i % 2 ? 1e30 : -1e30)],
    ['one huge among tiny', (i) => (i === 0 ? 1e20 : 1e-20)],
    ['all 1e-30', () => 1e-30],
    // Below 3.7e-37 tensorflow8b's float32 scale would overflow (the regression test at the end).
    ['all 1e-37, alternating sign', (i) => (i % 2 ? 1e-37 : -1e-37)],
    ['all 1e-45 (the smallest float32)', () => 1e-45],
  ];
  for (const [label, value] of WEIGHTS) {
    it(`${label}: a finite report or a clear error, for each scheme`, () => {
      const bytes = twoLayerModel(value);
      for (const scheme of SCHEMES) {
        const cfg = config((c) => {
          c.quant.weights.scheme = scheme;
          c.quant.firstLayerFullPrecision = false;
          c.quant.lastFcFullPrecision = false;
        });
        const outcome = run(`${label} ${scheme}`, bytes, [1, 3, 3], cfg);
        if ('error' in outcome)
          expect(outcome.error.message, `${label} ${scheme}`).toMatch(/non-finite|overflow|Infinity/);
        else expect(nonFinite(outcome.report), `${label} ${scheme}`).toEqual([]);
      }
    });
  }

  it('weights of 3e38 overflow the forward pass: the pipeline stops with an Error, not a raw exception', () => {
    const outcome = run(
      '3e38 fixed',
      twoLayerModel(() => 3e38),
      [1, 3, 3],
    );
    expect('error' in outcome).toBe(true);
    if ('error' in outcome) expect(outcome.error.message).toMatch(/non-finite range \(Infinity\)/);
  });
});

describe('clear errors', () => {
  it('test images of another size than the model input', () => {
    const outcome = run(
      'size mismatch',
      buildResNet({
        seed: 1,
        inputShape: [1, 1, 6, 6],
        stages: 1,
        blocksPerStage: 1,
        widths: [2],
        classes: 2,
      }),
      [1, 5, 5],
    );
    expect('error' in outcome && outcome.error.message).toMatch(
      /expects 1x6x6 inputs but the test images are 1x5x5/,
    );
  });

  it('an absurd stride fails while loading (ModelLoadError), not as an allocation failure in a simulator', () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 3, 4, 4] }],
      outputs: [{ name: 'y' }],
      nodes: [
        {
          opType: 'Conv',
          name: 'stem',
          inputs: ['x', 'w'],
          outputs: ['y'],
          attributes: { strides: [1_000_000, 1_000_000] },
        },
      ],
      initializers: [fill('w', [2, 3, 1, 1], () => 0.1)],
    });
    const outcome = run('absurd stride', bytes, [3, 4, 4]);
    expect('error' in outcome && outcome.error).toBeInstanceOf(ModelLoadError);
  });
});

describe('trace folders with extreme values through simulateNetwork', () => {
  it('infinite activations, zero weights, a 1x1 input with padding, K = 1: finite results', () => {
    const layers = [
      { name: 'conv1', C: 3, H: 1, K: 1, pad: 1, act: Infinity, wgt: 0 },
      { name: 'conv2', C: 1, H: 1, K: 1, pad: 0, act: -Infinity, wgt: 1e30 },
    ].map((l) => ({
      name: l.name,
      geometry: {
        kind: 'conv' as const,
        C: l.C,
        H: l.H,
        W: l.H,
        K: l.K,
        Kh: 1,
        Kw: 1,
        stride: l.pad ? 2 : 1,
        pad: l.pad,
      },
      actsFloat: [new Float32Array(l.C * l.H * l.H).fill(l.act)],
      weightsFloat: new Float32Array(l.K * l.C).fill(l.wgt),
      precision: { actMag: 8, actFrac: 8, wgtMag: 1, wgtFrac: 15 },
    }));
    const files = exportTraceFolder(layers);
    const folder = loadTraceFolder({
      list: () => [...files.keys()],
      read: (n) => files.get(n) as Uint8Array,
    });
    const cfg = config();
    const report = worst.time('trace folder', () =>
      simulateNetwork(
        {
          config: cfg,
          model: { name: 'traces', synthetic: false, source: 'test', inputShape: [] },
          layers: folder.layers,
          floatWeights: [],
          quantized: [],
          actProfiles: folder.precisions.map((p) => ({ mag: p.actMag, frac: p.actFrac })),
        },
        cfg,
      ),
    ).result;
    expect(nonFinite(report)).toEqual([]);
    expect(report.layers.length).toBe(2);
  });
});

/** An EFDS file as training/export.py writes it (dataset.ts documents the layout). */
function efds(
  count: number,
  c: number,
  h: number,
  w: number,
  header: Partial<Record<'count' | 'c' | 'h' | 'w', number>> = {},
): Uint8Array {
  const pixels = count * c * h * w;
  const bytes = new Uint8Array(32 + count + pixels);
  const view = new DataView(bytes.buffer);
  bytes.set([0x45, 0x46, 0x44, 0x53]);
  view.setUint32(4, 1, true);
  view.setUint32(8, header.count ?? count, true);
  view.setUint32(12, header.c ?? c, true);
  view.setUint32(16, header.h ?? h, true);
  view.setUint32(20, header.w ?? w, true);
  view.setFloat32(24, 0.5, true);
  view.setFloat32(28, 0.25, true);
  for (let i = 32; i < bytes.length; i++) bytes[i] = (i * 37) % 256;
  return bytes;
}

describe('the shipped test-set file parser (dataset.ts)', () => {
  const valid = efds(3, 1, 4, 4);

  it('parses the layout it documents', () => {
    const d = parseDataset(valid);
    expect(d.count).toBe(3);
    expect(d.images.length).toBe(48);
  });

  it('truncated, edited, oversized-header and random files fail with a message, never a raw exception', () => {
    const files = fc.oneof(
      fc.integer({ min: 0, max: valid.length - 1 }).map((n) => valid.slice(0, n)),
      fc
        .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 })
        .map((edits) => {
          const bytes = valid.slice();
          for (const [at, value] of edits) bytes[at % 32] = value;
          return bytes;
        }),
      fc
        .record({ count: fc.nat(), c: fc.nat(), h: fc.nat(), w: fc.nat() })
        .map((header) => efds(1, 1, 2, 2, header)),
      fc.uint8Array({ maxLength: 200 }),
    );
    fc.assert(
      fc.property(files, (bytes) => {
        try {
          const d = parseDataset(bytes);
          expect(d.images.length).toBe(d.count * d.shape[0] * d.shape[1] * d.shape[2]);
          expect(d.labels.length).toBe(d.count);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect(error).not.toBeInstanceOf(TypeError);
          expect(error).not.toBeInstanceOf(RangeError);
          expect((error as Error).message).toMatch(/dataset/);
        }
      }),
      { seed: 42, numRuns: 400 },
    );
  });
});

describe('defects found outside the loaders (fixed; regression tests)', () => {
  // Was: src/sim/quant/tensorflow8b.ts, when max |w| < 3.7e-37 (1e-37 is still a normal float32), the scale
  // fround(254 / fround(2·max)) overflowed float32 to Infinity; quantMeta.scale was Infinity (null in JSON).
  // The scale now stays at the largest float32 (docs/robustness.md).
  it('tiny weights under tensorflow8b give a finite quantMeta.scale', () => {
    const cfg = config((c) => {
      c.quant.weights.scheme = 'tensorflow8b';
      c.quant.firstLayerFullPrecision = false;
      c.quant.lastFcFullPrecision = false;
      c.accels = ['dadn'];
    });
    const float32Max = (2 - 2 ** -23) * 2 ** 127;
    for (const [weight, code] of [
      [1e-37, 34], // rha(fround(1e-37) · float32Max) = rha(34.03)
      [1e-45, 0], // the smallest float32 (1.4e-45): every code is 0
    ]) {
      const report = expectWorks(
        `tiny tensorflow8b ${weight}`,
        run(
          `tiny tensorflow8b ${weight}`,
          twoLayerModel(() => weight),
          [1, 3, 3],
          cfg,
        ),
      );
      const quantised = report.layers.filter((layer) => layer.weightScheme === 'tensorflow8b');
      expect(quantised.length, `${weight}`).toBeGreaterThan(0);
      for (const layer of quantised) {
        expect(layer.quantMeta.scale, `${weight} ${layer.name}`).toBe(float32Max);
        expect(layer.weightSparsity, `${weight} ${layer.name}`).toBe(code === 0 ? 1 : 0);
      }
    }
  });
});
