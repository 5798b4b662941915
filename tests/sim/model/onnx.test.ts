import { describe, expect, it } from 'vitest';
import { loadOnnxModel, type NetworkModel } from '../../../src/sim/model';
import { int64ToNumber, onnx } from '../../../src/sim/model/onnxProto';
import { layerMacs } from '../../../src/sim/types';
import { buildOnnxModel, buildResNet, floats, singleNodeModel } from '../../helpers/onnxBuilder';

const resnetSpec = {
  seed: 3,
  inputShape: [1, 1, 28, 28] as [1, number, number, number],
  stages: 3,
  blocksPerStage: 3,
  widths: [16, 32, 64],
  classes: 10,
};

describe('loading a random CIFAR-style ResNet-20', () => {
  const bytes = buildResNet(resnetSpec);
  const model = loadOnnxModel(bytes);

  it('reads input, output and shapes (symbolic batch -> 1)', () => {
    expect(model.inputName).toBe('input');
    expect(model.inputShape).toEqual([1, 1, 28, 28]);
    expect(model.outputName).toBe('logits');
    expect(model.outputShape).toEqual([1, 10]);
    expect(model.classes).toBe(10);
    expect(model.tensorShapes['layer3.2.sum']).toEqual([1, 64, 7, 7]);
    expect(model.tensorShapes['flat']).toEqual([1, 64]);
  });

  it('lists the 22 conv/FC layers in topological order with their geometry', () => {
    // stem + 9 blocks x 2 convs + 2 downsample convs + fc
    expect(model.layers.length).toBe(1 + 18 + 2 + 1);
    expect(model.layers.map((l) => l.name).slice(0, 3)).toEqual([
      'conv1',
      'layer1.0.conv1',
      'layer1.0.conv2',
    ]);
    const byName = new Map(model.layers.map((l) => [l.name, l]));
    expect(byName.get('conv1')?.geometry).toEqual({
      kind: 'conv',
      C: 1,
      H: 28,
      W: 28,
      K: 16,
      Kh: 3,
      Kw: 3,
      stride: 1,
      pad: 1,
    });
    expect(byName.get('layer2.0.conv1')?.geometry).toEqual({
      kind: 'conv',
      C: 16,
      H: 28,
      W: 28,
      K: 32,
      Kh: 3,
      Kw: 3,
      stride: 2,
      pad: 1,
    });
    expect(byName.get('layer3.0.downsample.0')?.geometry).toEqual({
      kind: 'conv',
      C: 32,
      H: 14,
      W: 14,
      K: 64,
      Kh: 1,
      Kw: 1,
      stride: 2,
      pad: 0,
    });
    expect(byName.get('fc')?.geometry).toEqual({
      kind: 'fc',
      C: 64,
      H: 1,
      W: 1,
      K: 10,
      Kh: 1,
      Kw: 1,
      stride: 1,
      pad: 0,
    });
    expect(model.layers.map((l) => l.isFirst)).toEqual(model.layers.map((_, i) => i === 0));
    expect(model.layers.map((l) => l.isLast)).toEqual(model.layers.map((_, i) => i === 21));
    const order = model.nodes.map((n) => n.name);
    for (let i = 1; i < model.layers.length; i++) {
      expect(order.indexOf(model.layers[i].nodeName)).toBeGreaterThan(
        order.indexOf(model.layers[i - 1].nodeName),
      );
    }
  });

  it('counts MACs per image from the geometry', () => {
    // stem 16*9*784, stage 1: 6 x 16*16*9*784, stage 2: 32*16*9*196 + 5 x 32*32*9*196 + 32*16*196,
    // stage 3: 64*32*9*49 + 5 x 64*64*9*49 + 64*32*49, fc 640
    const expected =
      16 * 9 * 784 +
      6 * 16 * 16 * 9 * 784 +
      (32 * 16 * 9 + 5 * 32 * 32 * 9 + 32 * 16) * 196 +
      (64 * 32 * 9 + 5 * 64 * 64 * 9 + 64 * 32) * 49 +
      640;
    expect(model.macs).toBe(expected);
    expect(model.layers.reduce((s, l) => s + layerMacs(l.geometry), 0)).toBe(expected);
  });

  it('keeps weights in PyTorch layout and attaches the following BatchNormalization', () => {
    const conv = model.layers[1];
    expect(conv.weightName).toBe('layer1.0.conv1.weight');
    expect(conv.weights).toBe(model.initializers['layer1.0.conv1.weight']);
    expect(conv.weights.length).toBe(16 * 16 * 9);
    const bn = conv.followingBatchNorm;
    expect(bn?.scale).toBe(model.initializers['layer1.0.bn1.weight']);
    expect(bn?.bias).toBe(model.initializers['layer1.0.bn1.bias']);
    expect(bn?.mean).toBe(model.initializers['layer1.0.bn1.running_mean']);
    expect(bn?.var).toBe(model.initializers['layer1.0.bn1.running_var']);
    expect(bn?.eps).toBeCloseTo(1e-5, 10);
    expect(model.layers.filter((l) => l.kind === 'conv').every((l) => l.followingBatchNorm)).toBe(true);
    const fc = model.layers[21];
    expect(fc.followingBatchNorm).toBeUndefined();
    expect(fc.bias).toBe(model.initializers['fc.bias']);
  });

  it('counts the point-wise ops between each layer and the next', () => {
    const counts = Object.fromEntries(model.layers.map((l) => [l.name, l.pointwiseOps]));
    expect(counts['conv1']).toBe(2); // BN, ReLU
    expect(counts['layer1.0.conv1']).toBe(2); // BN, ReLU
    expect(counts['layer1.0.conv2']).toBe(3); // BN, Add, ReLU
    expect(counts['layer2.0.conv2']).toBe(1); // BN; the downsample conv comes next
    expect(counts['layer2.0.downsample.0']).toBe(3); // BN, Add, ReLU
    expect(counts['fc']).toBe(0);
    const pointwiseNodes = model.nodes.filter((n) =>
      ['BatchNormalization', 'Relu', 'ThresholdedRelu', 'Add'].includes(n.op),
    );
    expect(model.layers.reduce((s, l) => s + l.pointwiseOps, 0)).toBe(pointwiseNodes.length);
  });

  it('is deterministic in the seed', () => {
    const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
    expect(same(buildResNet(resnetSpec), bytes)).toBe(true);
    expect(same(buildResNet({ ...resnetSpec, seed: 4 }), bytes)).toBe(false);
  });
});

describe('builder statistics', () => {
  const model = loadOnnxModel(buildResNet({ ...resnetSpec, seed: 12 }));
  it('He-initialises conv weights: std close to sqrt(2 / fan_in)', () => {
    for (const layer of model.layers.filter((l) => l.kind === 'conv' && l.weights.length > 2000)) {
      const g = layer.geometry;
      const w = layer.weights;
      const mean = w.reduce((a, b) => a + b, 0) / w.length;
      const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
      expect(std / Math.sqrt(2 / (g.C * g.Kh * g.Kw)), layer.name).toBeGreaterThan(0.9);
      expect(std / Math.sqrt(2 / (g.C * g.Kh * g.Kw)), layer.name).toBeLessThan(1.1);
      expect(Math.abs(mean)).toBeLessThan(0.1 * std);
    }
  });
  it('gives BatchNormalization non-trivial parameters', () => {
    const bn = model.layers[0].followingBatchNorm;
    for (const values of [bn?.scale, bn?.bias, bn?.mean, bn?.var]) {
      expect(new Set(values).size).toBe(16);
    }
    expect(Math.min(...(bn?.var ?? []))).toBeGreaterThan(0);
  });
});

describe('encodings and exporter variants', () => {
  it('raw_data and float_data give the same weights', () => {
    const raw = loadOnnxModel(buildResNet({ ...resnetSpec, weightEncoding: 'raw' }));
    const typed = loadOnnxModel(buildResNet({ ...resnetSpec, weightEncoding: 'typed' }));
    expect(typed.layers.length).toBe(raw.layers.length);
    typed.layers.forEach((layer, i) =>
      expect(layer.weights.every((w, j) => w === raw.layers[i].weights[j])).toBe(true),
    );
  });

  it('looks through PyTorch PRESERVE Identity nodes, accepts training_mode = 0, transposes MatMul weights', () => {
    const spec = {
      ...resnetSpec,
      inputShape: [1, 3, 16, 16] as [1, number, number, number],
      stages: 2,
      blocksPerStage: 1,
      widths: [8, 16],
      classes: 5,
    };
    const plain = loadOnnxModel(buildResNet(spec));
    const model = loadOnnxModel(buildResNet({ ...spec, preserveStyle: true, head: 'matmul' }));
    expect(model.nodes.some((n) => n.op === 'Identity')).toBe(false); // weight Identities are folded away
    expect(model.layers.map((l) => l.weightName).slice(0, 2)).toEqual([
      'conv1.weight',
      'layer1.0.conv1.weight',
    ]);
    expect(model.layers[0].followingBatchNorm).toBeDefined();
    const fc = model.layers[model.layers.length - 1];
    const stored = model.initializers['fc.weight_t']; // [in=16][out=5]
    for (let o = 0; o < 5; o++)
      for (let i = 0; i < 16; i++) expect(fc.weights[o * 16 + i]).toBe(stored[i * 5 + o]);
    expect(fc.bias).toBeUndefined();
    expect(fc.pointwiseOps).toBe(1); // the bias Add
    expect(model.layers.length).toBe(plain.layers.length);
  });

  it('accepts initializers also listed as graph inputs, and Constant / Identity feeding Reshape', () => {
    const bytes = buildOnnxModel({
      inputs: [
        { name: 'x', shape: [1, 2, 2, 2] },
        { name: 'w', shape: [3, 8] },
      ],
      outputs: [{ name: 'y' }],
      initializers: [
        floats(
          'w',
          [3, 8],
          Array.from({ length: 24 }, (_, i) => i),
        ),
      ],
      nodes: [
        {
          opType: 'Constant',
          name: 'shape_const',
          inputs: [],
          outputs: ['shape'],
          attributes: { value: { tensor: { name: '', dims: [2], values: [0, -1], type: 'int64' } } },
        },
        { opType: 'Identity', name: 'shape_copy', inputs: ['shape'], outputs: ['shape2'] },
        { opType: 'Reshape', name: 'reshape', inputs: ['x', 'shape2'], outputs: ['flat'] },
        { opType: 'Gemm', name: '', inputs: ['flat', 'w'], outputs: ['y'], attributes: { transB: 1 } },
      ],
    });
    const model = loadOnnxModel(bytes);
    expect(model.inputName).toBe('x');
    expect(model.tensorShapes['flat']).toEqual([1, 8]);
    expect(model.layers[0].name).toBe('w'); // unnamed node: named after its weight tensor
    expect(model.layers[0].geometry.C).toBe(8);
  });

  it('decodes int64 values from protobufjs Long objects, including negative ones', () => {
    const decoded = onnx.TensorProto.decode(
      onnx.TensorProto.encode({ dims: [2], dataType: 7, int64Data: [-1, 2 ** 40] }).finish(),
    );
    expect(decoded.int64Data.map((v) => int64ToNumber(v as never))).toEqual([-1, 2 ** 40]);
    expect(int64ToNumber({ low: -1, high: -1 })).toBe(-1);
    expect(int64ToNumber({ low: 5, high: 1 })).toBe(2 ** 32 + 5);
    expect(int64ToNumber({ low: -1, high: -1, unsigned: true })).toBe(2 ** 64 - 1);
  });

  it('reads an int64 Reshape target stored as raw_data', () => {
    const raw = new Uint8Array(16);
    const view = new DataView(raw.buffer);
    view.setInt32(0, 1, true); // 1
    view.setInt32(8, -1, true); // -1 (low word)
    view.setInt32(12, -1, true); // -1 (high word)
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 4, 1, 1] }],
      outputs: [{ name: 'y' }],
      nodes: [
        { opType: 'MatMul', name: 'mm', inputs: ['f', 'wt'], outputs: ['y'] },
        { opType: 'Reshape', name: 'r', inputs: ['x', 's'], outputs: ['f'] },
        {
          opType: 'Constant',
          name: 'wt_const',
          inputs: [],
          outputs: ['wt'],
          attributes: { value: { tensor: { name: '', dims: [4, 2], values: [1, 0, 0, 1, 0, 0, 0, 0] } } },
        },
      ],
    });
    const proto = onnx.ModelProto.decode(bytes);
    proto.graph?.initializer?.push({ name: 's', dims: [2], dataType: 7, rawData: raw } as never);
    const model: NetworkModel = loadOnnxModel(onnx.ModelProto.encode(proto).finish());
    expect(model.tensorShapes['f']).toEqual([1, 4]);
    expect(model.nodes.map((n) => n.op)).toEqual(['Reshape', 'MatMul']); // topological order despite file order
  });

  it('keeps asymmetric pads for pools and reads node attributes', () => {
    const model = loadOnnxModel(
      singleNodeModel({
        opType: 'MaxPool',
        inputShape: [1, 2, 5, 5],
        attributes: { kernel_shape: [3, 2], strides: [2, 1], pads: [1, 0, 0, 1] },
      }),
    );
    const node = model.nodes[0];
    expect(node.op).toBe('MaxPool');
    if (node.op === 'MaxPool') expect(node.pads).toEqual([1, 0, 0, 1]);
    // H: floor((5 + 1 - 3) / 2) + 1 = 2; W: floor((5 + 1 - 2) / 1) + 1 = 5
    expect(model.outputShape).toEqual([1, 2, 2, 5]);
  });
});
