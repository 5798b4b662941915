import { describe, expect, it } from 'vitest';
import { createEngine, top1 } from '../../../src/sim/infer';
import { loadOnnxModel } from '../../../src/sim/model';
import { mulberry32 } from '../../../src/sim/prng';
import {
  buildOnnxModel,
  floats,
  randomValues,
  singleNodeModel,
  type NodeSpec,
  type TensorSpec,
} from '../../helpers/onnxBuilder';
import { referenceConv, referenceForward, relativeError } from './reference';

const KERNELS = ['js', 'wasm'] as const;

function runSingle(bytes: Uint8Array, images: ArrayLike<number>, n = 1, kernel: 'js' | 'wasm' = 'js') {
  const engine = createEngine(loadOnnxModel(bytes), { kernel });
  return Array.from(engine.run(Float32Array.from(images), n).logits);
}

describe('hand-computed single operators', () => {
  const image3x3 = [1, 2, 3, 4, 5, 6, 7, 8, 9];

  it.each(KERNELS)('Conv 3x3, pad 1, stride 2 with bias (%s)', (kernel) => {
    const bytes = singleNodeModel({
      opType: 'Conv',
      inputShape: [1, 1, 3, 3],
      attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] },
      initializers: [floats('w', [1, 1, 3, 3], new Array(9).fill(1)), floats('b', [1], [1])],
    });
    // windows centred on (0,0), (0,2), (2,0), (2,2): 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9, plus bias 1
    expect(runSingle(bytes, image3x3, 1, kernel)).toEqual([13, 17, 25, 29]);
  });

  it.each(KERNELS)('Conv without padding, two filters, two channels (%s)', (kernel) => {
    // x channel 0 = 1..9, channel 1 = all 1; filter 0 picks the centre of channel 0, filter 1 sums channel 1 and
    // subtracts the top-left of channel 0.
    const filter0 = [0, 0, 0, 1, /* channel 1 */ 0, 0, 0, 0];
    const filter1 = [-1, 0, 0, 0, /* channel 1 */ 1, 1, 1, 1];
    const bytes = singleNodeModel({
      opType: 'Conv',
      inputShape: [1, 2, 3, 3],
      attributes: { kernel_shape: [2, 2] },
      initializers: [floats('w', [2, 2, 2, 2], [...filter0, ...filter1])],
    });
    // filter 0 tap (c0, 1, 1): x0[oy+1][ox+1] -> 5, 6, 8, 9; filter 1: -x0[oy][ox] + 4 -> 3, 2, 0, -1
    const x = image3x3.concat(new Array(9).fill(1));
    expect(runSingle(bytes, x, 1, kernel)).toEqual([5, 6, 8, 9, 3, 2, 0, -1]);
  });

  it('BatchNormalization folded into the conv', () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 1, 2] }],
      outputs: [{ name: 'y' }],
      initializers: [
        floats('w', [1, 1, 1, 1], [2]),
        floats('s', [1], [3]),
        floats('b', [1], [1]),
        floats('m', [1], [0.5]),
        floats('v', [1], [3]),
      ],
      nodes: [
        { opType: 'Conv', name: 'conv', inputs: ['x', 'w'], outputs: ['c'] },
        {
          opType: 'BatchNormalization',
          name: 'bn',
          inputs: ['c', 's', 'b', 'm', 'v'],
          outputs: ['y'],
          attributes: { epsilon: 1 },
        },
      ],
    });
    const model = loadOnnxModel(bytes);
    expect(model.layers[0].followingBatchNorm).toBeDefined();
    // y = 3 * (2x - 0.5) / sqrt(3 + 1) + 1: x = 1 -> 3.25, x = -1 -> -2.75
    expect(Array.from(createEngine(model).run(Float32Array.from([1, -1]), 1).logits)).toEqual([3.25, -2.75]);
  });

  it('MaxPool 2x2 stride 2 and AveragePool 3x3 pad 1 with and without counting the padding', () => {
    const x = Array.from({ length: 16 }, (_, i) => (i * 7) % 16); // 0 7 14 5 / 12 3 10 1 / 8 15 6 13 / 4 11 2 9
    const maxPool = singleNodeModel({
      opType: 'MaxPool',
      inputShape: [1, 1, 4, 4],
      attributes: { kernel_shape: [2, 2], strides: [2, 2] },
    });
    expect(runSingle(maxPool, x)).toEqual([12, 14, 15, 13]);
    const avg = (include: number) =>
      singleNodeModel({
        opType: 'AveragePool',
        inputShape: [1, 1, 4, 4],
        attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [3, 3], count_include_pad: include },
      });
    // windows: rows -1..1 x cols -1..1 -> {0,7,12,3} and rows -1..1 x cols 2..4 -> {14,5,10,1}, etc.
    expect(runSingle(avg(0), x)).toEqual([22 / 4, 30 / 4, 38 / 4, 30 / 4]);
    expect(runSingle(avg(1), x)).toEqual([22 / 9, 30 / 9, 38 / 9, 30 / 9].map(Math.fround));
  });

  it('GlobalAveragePool averages each channel', () => {
    const bytes = singleNodeModel({ opType: 'GlobalAveragePool', inputShape: [1, 2, 2, 2] });
    expect(runSingle(bytes, [1, 2, 3, 4, -1, -1, 0, 10])).toEqual([2.5, 2]);
  });

  it('Gemm with transB = 0, alpha and beta', () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 1, 2] }],
      outputs: [{ name: 'y' }],
      initializers: [floats('B', [2, 3], [1, 2, 3, 4, 5, 6]), floats('C', [3], [10, 20, 30])],
      nodes: [
        { opType: 'Flatten', name: 'flat', inputs: ['x'], outputs: ['f'] },
        {
          opType: 'Gemm',
          name: 'fc',
          inputs: ['f', 'B', 'C'],
          outputs: ['y'],
          attributes: { alpha: 2, beta: 0.5 },
        },
      ],
    });
    const model = loadOnnxModel(bytes);
    expect(Array.from(model.layers[0].weights)).toEqual([1, 4, 2, 5, 3, 6]); // [out][in]
    // x = [1, -1]: xB = [1-4, 2-5, 3-6] = [-3, -3, -3]; 2*xB + 0.5*C = [-1, 4, 9]
    expect(runSingle(bytes, [1, -1])).toEqual([-1, 4, 9]);
  });

  it('ThresholdedRelu keeps only values above alpha; default alpha is 1', () => {
    const withAlpha = singleNodeModel({
      opType: 'ThresholdedRelu',
      inputShape: [1, 1, 1, 5],
      attributes: { alpha: 0.5 },
    });
    // float32 values: 0.6 is stored as 0.60000002384
    expect(runSingle(withAlpha, [-1, 0.5, 0.6, 2, 0])).toEqual([0, 0, Math.fround(0.6), 2, 0]);
    const byDefault = singleNodeModel({ opType: 'ThresholdedRelu', inputShape: [1, 1, 1, 3] });
    expect(runSingle(byDefault, [1, 1.5, 0.9])).toEqual([0, 1.5, 0]);
  });

  it('reluThreshold applies to Relu nodes: absolute, and relative to the batch std', () => {
    const model = loadOnnxModel(singleNodeModel({ opType: 'Relu', inputShape: [1, 1, 1, 4] }));
    const engine = createEngine(model);
    const x = Float32Array.from([-2, 0, 1, 3, 0, 0, 2, 4]); // two images
    expect(Array.from(engine.run(x, 2).logits)).toEqual([0, 0, 1, 3, 0, 0, 2, 4]);
    const absolute = engine.run(x, 2, { reluThreshold: { mode: 'absolute', theta: 2 } });
    expect(Array.from(absolute.logits)).toEqual([0, 0, 0, 3, 0, 0, 0, 4]);
    // mean 1, squared deviations 9+1+0+4+1+1+1+9 = 26 -> std sqrt(26/8) = 1.803; theta = 1.803
    const relative = engine.run(x, 2, { reluThreshold: { mode: 'relative', theta: 1 } });
    expect(Array.from(relative.logits)).toEqual([0, 0, 0, 3, 0, 0, 2, 4]);
  });

  it('ThresholdedRelu nodes ignore reluThreshold', () => {
    const bytes = singleNodeModel({
      opType: 'ThresholdedRelu',
      inputShape: [1, 1, 1, 2],
      attributes: { alpha: 0.5 },
    });
    const engine = createEngine(loadOnnxModel(bytes));
    const result = engine.run(Float32Array.from([1, 3]), 1, {
      reluThreshold: { mode: 'absolute', theta: 2 },
    });
    expect(Array.from(result.logits)).toEqual([1, 3]);
  });

  it('top1 counts correct arg-max predictions, first index on ties', () => {
    const logits = Float32Array.from([0.1, 0.9, 0.0, 5, 1, 1, 2, 2, 0]);
    expect(top1(logits, 3, [1, 0, 0])).toBe(3);
    expect(top1(logits, 3, [2, 0, 1])).toBe(1);
  });
});

function convGraph(
  rng: () => number,
  C: number,
  H: number,
  W: number,
  K: number,
  k: number,
  stride: number,
  pad: number,
  bias: boolean,
) {
  const weights = randomValues(rng, K * C * k * k);
  const initializers: TensorSpec[] = [floats('w', [K, C, k, k], weights)];
  if (bias) initializers.push(floats('b', [K], randomValues(rng, K)));
  const bytes = singleNodeModel({
    opType: 'Conv',
    inputShape: ['N', C, H, W],
    attributes: { kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad] },
    initializers,
  });
  return { bytes, weights, bias: bias ? initializers[1].values : undefined };
}

describe('engine matches the direct nested-loop reference', () => {
  const cases: Array<[number, number, number, number, number, number, number, boolean]> = [
    // C, H, W, K, kernel, stride, pad, bias
    [3, 9, 7, 5, 3, 1, 1, true],
    [4, 8, 8, 8, 1, 1, 0, false],
    [4, 9, 9, 6, 1, 2, 0, true],
    [2, 11, 10, 4, 5, 2, 2, false],
    [5, 7, 7, 3, 3, 1, 0, true],
    [3, 12, 13, 9, 7, 2, 3, true],
    [16, 14, 14, 32, 3, 2, 1, false],
    [1, 28, 28, 16, 3, 1, 1, false],
    [3, 10, 11, 5, 3, 3, 1, true], // stride 3: nine phases
    [2, 9, 9, 3, 2, 3, 0, false], // a 2x2 kernel with stride 3: only four of the nine phases are used
    [3, 8, 8, 2, 2, 1, 0, true], // stride 1 without padding, even kernel
  ];
  for (const kernel of KERNELS) {
    it.each(cases)(
      `${kernel}: conv C=%i H=%i W=%i K=%i k=%i stride=%i pad=%i bias=%s`,
      (C, H, W, K, k, stride, pad, bias) => {
        const rng = mulberry32(C * 1000 + K * 10 + k);
        const graph = convGraph(rng, C, H, W, K, k, stride, pad, bias);
        const n = 3;
        const images = randomValues(rng, n * C * H * W);
        const engine = createEngine(loadOnnxModel(graph.bytes), { kernel });
        const expected = referenceConv(images, n, C, H, W, graph.weights, K, k, k, stride, pad, graph.bias);
        const actual = engine.run(images, n).logits;
        expect(actual.length).toBe(expected.length);
        expect(relativeError(actual, expected)).toBeLessThan(1e-5);
      },
    );
  }

  it('folds a BatchNormalization that follows a Gemm, with alpha and beta', () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 2, 1, 1] }],
      outputs: [{ name: 'y' }],
      initializers: [
        floats('W', [2, 2], [1, 2, 3, 4]),
        floats('C', [2], [1, -1]),
        floats('s', [2], [2, 1]),
        floats('b', [2], [0, 10]),
        floats('m', [2], [1, 0]),
        floats('v', [2], [3, 0]),
      ],
      nodes: [
        { opType: 'Flatten', name: 'flat', inputs: ['x'], outputs: ['f'] },
        {
          opType: 'Gemm',
          name: 'fc',
          inputs: ['f', 'W', 'C'],
          outputs: ['g'],
          attributes: { transB: 1, alpha: 0.5, beta: 2 },
        },
        {
          opType: 'BatchNormalization',
          name: 'bn',
          inputs: ['g', 's', 'b', 'm', 'v'],
          outputs: ['y'],
          attributes: { epsilon: 1 },
        },
      ],
    });
    const model = loadOnnxModel(bytes);
    expect(model.layers[0].followingBatchNorm).toBeDefined();
    // x = [2, 2]: Wx = [6, 14]; g = 0.5 Wx + 2C = [5, 5]; bn: 2 (5 - 1) / 2 + 0 = 4, 1 (5 - 0) / 1 + 10 = 15
    expect(runSingle(bytes, [2, 2])).toEqual([4, 15]);
  });

  it('engines sharing the WebAssembly memory (activations live there) do not disturb each other', () => {
    const rng = mulberry32(21);
    const small = convGraph(rng, 2, 6, 6, 3, 3, 1, 1, true);
    const large = convGraph(rng, 8, 20, 20, 16, 3, 1, 1, false);
    const a = createEngine(loadOnnxModel(small.bytes));
    const b = createEngine(loadOnnxModel(large.bytes));
    const xa = randomValues(rng, 2 * 72);
    const xb = randomValues(rng, 40 * 3200); // grows the memory after a's first run
    const first = a.run(xa, 2).logits;
    const other = b.run(xb, 40).logits;
    expect(a.run(xa, 2).logits).toEqual(first);
    const expected = referenceConv(xb, 40, 8, 20, 20, large.weights, 16, 3, 3, 1, 1);
    expect(relativeError(other, expected)).toBeLessThan(1e-5);
    expect(
      relativeError(first, referenceConv(xa, 2, 2, 6, 6, small.weights, 3, 3, 3, 1, 1, small.bias)),
    ).toBeLessThan(1e-5);
  });

  it('picks the WebAssembly kernel by default in Node and JavaScript on request', () => {
    const model = loadOnnxModel(singleNodeModel({ opType: 'Relu', inputShape: [1, 1, 1, 1] }));
    expect(createEngine(model).kernel).toBe('wasm');
    expect(createEngine(model, { kernel: 'js' }).kernel).toBe('js');
  });

  it('a tensor read by several nodes is neither folded nor overwritten in place', () => {
    const rng = mulberry32(7);
    const nodes: NodeSpec[] = [
      {
        opType: 'Conv',
        name: 'conv',
        inputs: ['x', 'w'],
        outputs: ['c'],
        attributes: { pads: [1, 1, 1, 1] },
      },
      { opType: 'BatchNormalization', name: 'bn', inputs: ['c', 's', 'bb', 'm', 'v'], outputs: ['b'] },
      { opType: 'Relu', name: 'relu1', inputs: ['c'], outputs: ['r'] },
      { opType: 'Add', name: 'add1', inputs: ['b', 'r'], outputs: ['sum'] },
      { opType: 'ThresholdedRelu', name: 'thr', inputs: ['sum'], outputs: ['t'], attributes: { alpha: 0.1 } },
      { opType: 'Add', name: 'add2', inputs: ['t', 'c'], outputs: ['u'] },
      { opType: 'Add', name: 'add3', inputs: ['u', 'x'], outputs: ['y'] },
    ];
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 4, 5, 5] }],
      outputs: [{ name: 'y' }],
      nodes,
      initializers: [
        floats('w', [4, 4, 3, 3], randomValues(rng, 144)),
        floats('s', [4], [1.5, 0.5, 1, 2]),
        floats('bb', [4], [0.1, -0.2, 0.3, 0]),
        floats('m', [4], [0.2, 0, -0.1, 0.3]),
        floats('v', [4], [0.5, 1, 2, 1.5]),
      ],
    });
    const model = loadOnnxModel(bytes);
    expect(model.layers[0].followingBatchNorm).toBeUndefined();
    const images = randomValues(rng, 2 * 100);
    const copy = images.slice();
    for (const kernel of KERNELS) {
      const actual = createEngine(model, { kernel }).run(images, 2, {
        reluThreshold: { mode: 'relative', theta: 0.2 },
      });
      const expected = referenceForward(model, images, 2, {
        reluThreshold: { mode: 'relative', theta: 0.2 },
      });
      expect(relativeError(actual.logits, expected.output)).toBeLessThan(1e-5);
    }
    expect(images).toEqual(copy); // the caller's images are never written
  });

  it('a conv+BN+ReLU+MaxPool+Add+GAP+Gemm graph with weight overrides', () => {
    const rng = mulberry32(99);
    const C = 3;
    const K = 6;
    const nodes: NodeSpec[] = [
      {
        opType: 'Conv',
        name: 'conv',
        inputs: ['x', 'w', 'cb'],
        outputs: ['c'],
        attributes: { pads: [1, 1, 1, 1] },
      },
      { opType: 'BatchNormalization', name: 'bn', inputs: ['c', 's', 'bb', 'm', 'v'], outputs: ['n'] },
      { opType: 'Relu', name: 'relu', inputs: ['n'], outputs: ['r'] },
      {
        opType: 'MaxPool',
        name: 'pool',
        inputs: ['r'],
        outputs: ['p'],
        attributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
      },
      { opType: 'Add', name: 'bias_add', inputs: ['p', 'chan'], outputs: ['q'] },
      { opType: 'GlobalAveragePool', name: 'gap', inputs: ['q'], outputs: ['g'] },
      { opType: 'Flatten', name: 'flat', inputs: ['g'], outputs: ['f'] },
      { opType: 'Gemm', name: 'fc', inputs: ['f', 'fw', 'fb'], outputs: ['y'], attributes: { transB: 1 } },
    ];
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: ['batch', C, 10, 9] }],
      outputs: [{ name: 'y' }],
      nodes,
      initializers: [
        floats('w', [K, C, 3, 3], randomValues(rng, K * C * 9)),
        floats('cb', [K], randomValues(rng, K)),
        floats(
          's',
          [K],
          randomValues(rng, K).map((v) => 1 + v / 2),
        ),
        floats('bb', [K], randomValues(rng, K)),
        floats('m', [K], randomValues(rng, K)),
        floats(
          'v',
          [K],
          randomValues(rng, K).map((v) => 1 + v / 2),
        ),
        floats('chan', [K, 1, 1], randomValues(rng, K)),
        floats('fw', [4, K], randomValues(rng, 4 * K)),
        floats('fb', [4], randomValues(rng, 4)),
      ],
    });
    const model = loadOnnxModel(bytes);
    const n = 4;
    const images = randomValues(rng, n * C * 90);
    const overrides = new Map([
      ['conv', model.layers[0].weights.map((w) => Math.sign(w) * 0.25)],
      ['fc', model.layers[1].weights.map((w) => w * 2)],
    ]);
    for (const kernel of KERNELS) {
      const engine = createEngine(model, { kernel });
      for (const weightOverrides of [undefined, overrides]) {
        const actual = engine.run(images, n, { weightOverrides, captureLayerInputs: true });
        const expected = referenceForward(model, images, n, { weightOverrides });
        expect(relativeError(actual.logits, expected.output)).toBeLessThan(1e-5);
        expect(
          relativeError(
            actual.layerInputs?.get('fc') as Float32Array,
            expected.layerInputs.get('fc') as Float64Array,
          ),
        ).toBeLessThan(1e-5);
      }
    }
  });
});
