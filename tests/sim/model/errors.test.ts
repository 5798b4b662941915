import { describe, expect, it } from 'vitest';
import {
  ModelLoadError,
  loadOnnxModel,
  type LoadOptions,
  type ModelLoadErrorCode,
} from '../../../src/sim/model';
import { onnx } from '../../../src/sim/model/onnxProto';
import {
  buildOnnxModel,
  buildResNet,
  floats,
  singleNodeModel,
  type NodeSpec,
} from '../../helpers/onnxBuilder';

function loadError(bytes: Uint8Array, options?: LoadOptions): ModelLoadError {
  try {
    loadOnnxModel(bytes, options);
  } catch (error) {
    if (error instanceof ModelLoadError) return error;
    throw new Error(`expected a ModelLoadError, got ${String(error)}`);
  }
  throw new Error('expected loading to fail');
}

function expectError(bytes: Uint8Array, code: ModelLoadErrorCode, ...mentions: Array<string | RegExp>): void {
  const error = loadError(bytes);
  expect(error.code, error.message).toBe(code);
  expect(error).toBeInstanceOf(Error);
  expect(error.name).toBe('ModelLoadError');
  for (const mention of mentions) expect(error.message).toMatch(mention);
}

const smallResNet = () =>
  buildResNet({
    seed: 1,
    inputShape: [1, 1, 8, 8],
    stages: 2,
    blocksPerStage: 1,
    widths: [4, 8],
    classes: 3,
  });

const conv3x3 = (attributes = {}, weightShape = [2, 1, 3, 3]) =>
  singleNodeModel({
    opType: 'Conv',
    nodeName: 'the_conv',
    inputShape: [1, 1, 6, 6],
    attributes: { kernel_shape: [3, 3], ...attributes },
    initializers: [
      floats('conv.w', weightShape, new Array(weightShape.reduce((a, b) => a * b, 1)).fill(0.1)),
    ],
  });

describe('not-onnx and truncated files', () => {
  it('names what a non-ONNX file looks like', () => {
    expectError(
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      'not-onnx',
      /PNG/,
    );
    expectError(new TextEncoder().encode('{"model": "resnet"}'), 'not-onnx', /JSON/);
    expectError(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'not-onnx', /ZIP/);
    expectError(new Uint8Array(0), 'not-onnx', /empty/);
  });

  it('rejects garbage that protobuf cannot decode', () => {
    expectError(
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      'not-onnx',
      /not an ONNX model/,
    );
  });

  it('reports a cut-off file as truncated', () => {
    const bytes = smallResNet();
    expectError(bytes.subarray(0, Math.floor(bytes.length / 2)), 'truncated', /truncated/);
    expectError(bytes.subarray(0, bytes.length - 3), 'truncated', /truncated/);
  });
});

describe('unsupported operators and attributes', () => {
  it('names the operator and the node', () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 4, 4] }],
      outputs: [{ name: 'y' }],
      nodes: [
        { opType: 'Relu', name: 'fine', inputs: ['x'], outputs: ['r'] },
        { opType: 'Sigmoid', name: 'squash_7', inputs: ['r'], outputs: ['y'] },
      ],
    });
    expectError(bytes, 'unsupported-op', /'Sigmoid'/, /'squash_7'/, /Supported operators/);
  });

  it('names operators from other domains with their domain', () => {
    const bytes = singleNodeModel({ opType: 'Relu', inputShape: [1, 1, 2, 2] });
    const custom = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 2, 2] }],
      outputs: [{ name: 'y' }],
      nodes: [{ opType: 'FusedConv', domain: 'com.microsoft', name: 'fused', inputs: ['x'], outputs: ['y'] }],
    });
    expect(() => loadOnnxModel(bytes)).not.toThrow();
    expectError(custom, 'unsupported-op', /com\.microsoft\.FusedConv/, /'fused'/);
  });

  it.each([
    [{ group: 2 }, [2, 1, 3, 3], /group = 2/],
    [{ dilations: [2, 2] }, [2, 1, 3, 3], /dilations = \[2, 2\]/],
    [{ pads: [1, 0, 1, 0] }, [2, 1, 3, 3], /pads = \[1, 0, 1, 0\]/],
    [{ strides: [1, 2] }, [2, 1, 3, 3], /strides = \[1, 2\]/],
    [{ auto_pad: 'SAME_UPPER' }, [2, 1, 3, 3], /auto_pad = SAME_UPPER/],
  ])('rejects Conv attribute %j, naming it and the node', (attributes, shape, pattern) => {
    expectError(conv3x3(attributes, shape), 'unsupported-op', pattern, /'the_conv'/);
  });

  it('rejects ceil_mode pooling and training-mode BatchNormalization', () => {
    const pool = singleNodeModel({
      opType: 'MaxPool',
      nodeName: 'pool1',
      inputShape: [1, 1, 5, 5],
      attributes: { kernel_shape: [2, 2], ceil_mode: 1 },
    });
    expectError(pool, 'unsupported-op', /ceil_mode/, /'pool1'/);
    const bn = singleNodeModel({
      opType: 'BatchNormalization',
      nodeName: 'bn_train',
      inputShape: [1, 2, 2, 2],
      attributes: { training_mode: 1 },
      initializers: ['s', 'b', 'm', 'v'].map((name) => floats(name, [2], [1, 1])),
    });
    expectError(bn, 'unsupported-op', /training_mode/, /'bn_train'/);
  });
});

describe('missing initializers', () => {
  it('names the missing weight tensor and the node', () => {
    const bytes = singleNodeModel({
      opType: 'Conv',
      nodeName: 'c1',
      inputShape: [1, 1, 4, 4],
      inputs: ['x', 'conv1.weight'],
    });
    expectError(bytes, 'missing-initializer', /'conv1\.weight'/, /'c1'/);
  });

  it('names a missing BatchNormalization statistic', () => {
    const bytes = singleNodeModel({
      opType: 'BatchNormalization',
      nodeName: 'bn1',
      inputShape: [1, 2, 2, 2],
      initializers: ['s', 'b', 'm'].map((name) => floats(name, [2], [1, 1])),
      inputs: ['x', 's', 'b', 'm', 'bn1.running_var'],
    });
    expectError(bytes, 'missing-initializer', /'bn1\.running_var'/, /variance/);
  });

  it('names weights kept in an external file', () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 4, 4] }],
      outputs: [{ name: 'y' }],
      nodes: [{ opType: 'Conv', name: 'c', inputs: ['x', 'w'], outputs: ['y'] }],
    });
    // add an initializer whose data_location is EXTERNAL (1) through a second encode
    const proto = onnx.ModelProto.decode(bytes);
    proto.graph?.initializer?.push(
      onnx.TensorProto.create({ name: 'w', dims: [1, 1, 1, 1], dataType: 1, dataLocation: 1 }),
    );
    expectError(onnx.ModelProto.encode(proto).finish(), 'missing-initializer', /'w'/, /external/);
  });
});

describe('shape mismatches', () => {
  it('names the conv node and both shapes when channels do not fit', () => {
    expectError(
      conv3x3({}, [2, 3, 3, 3]),
      'shape-mismatch',
      /'the_conv'/,
      /\[1, 1, 6, 6\]/,
      /\[2, 3, 3, 3\]/,
    );
  });

  it('names the Gemm node when in-features do not fit', () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 4, 1, 1] }],
      outputs: [{ name: 'y' }],
      initializers: [floats('fc.w', [3, 5], new Array(15).fill(0))],
      nodes: [
        { opType: 'Flatten', name: 'flat', inputs: ['x'], outputs: ['f'] },
        {
          opType: 'Gemm',
          name: 'classifier',
          inputs: ['f', 'fc.w'],
          outputs: ['y'],
          attributes: { transB: 1 },
        },
      ],
    });
    expectError(bytes, 'shape-mismatch', /'classifier'/, /\[1, 4\]/, /\[3, 5\]/);
  });

  it('names the Add node and both operand shapes', () => {
    const nodes: NodeSpec[] = [
      {
        opType: 'MaxPool',
        name: 'p',
        inputs: ['x'],
        outputs: ['half'],
        attributes: { kernel_shape: [2, 2], strides: [2, 2] },
      },
      { opType: 'Add', name: 'residual', inputs: ['x', 'half'], outputs: ['y'] },
    ];
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 2, 4, 4] }],
      outputs: [{ name: 'y' }],
      nodes,
    });
    expectError(bytes, 'shape-mismatch', /'residual'/, /\[1, 2, 4, 4\]/, /\[1, 2, 2, 2\]/);
  });

  it('rejects a kernel larger than the padded input and a bad Reshape target', () => {
    const big = singleNodeModel({
      opType: 'Conv',
      nodeName: 'huge_kernel',
      inputShape: [1, 1, 2, 2],
      initializers: [floats('w', [1, 1, 5, 5], new Array(25).fill(0))],
    });
    expectError(big, 'shape-mismatch', /'huge_kernel'/);
    const reshape = singleNodeModel({
      opType: 'Reshape',
      nodeName: 'bad_reshape',
      inputShape: [1, 2, 3, 1],
      initializers: [{ name: 's', dims: [2], values: [1, 4], type: 'int64' }],
    });
    expectError(reshape, 'shape-mismatch', /'bad_reshape'/, /\[1, 4\]/);
  });

  it('requires a fixed [N, C, H, W] image input', () => {
    const symbolic = singleNodeModel({ opType: 'Relu', inputShape: ['N', 3, 'height', 32] });
    expectError(symbolic, 'shape-mismatch', /'x'/, /'height'/);
    expectError(singleNodeModel({ opType: 'Relu', inputShape: [1, 784] }), 'shape-mismatch', /'x'/, /rank 2/);
  });

  it('names an initializer whose data does not fit its dims', () => {
    const bytes = singleNodeModel({
      opType: 'Conv',
      inputShape: [1, 1, 4, 4],
      initializers: [{ name: 'short.w', dims: [2, 1, 3, 3], values: new Float32Array(17) }],
    });
    expectError(bytes, 'shape-mismatch', /'short\.w'/, /17/, /18/);
  });
});

describe('size caps', () => {
  const bytes = smallResNet();
  it('maxBytes: says the size, the cap and the option', () => {
    const error = loadError(bytes, { maxBytes: 1000 });
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/KiB/);
    expect(error.message).toMatch(/1000 bytes/);
    expect(error.message).toMatch(/maxBytes/);
  });

  it('maxMacs: says the work, the cap and the option', () => {
    const model = loadOnnxModel(bytes);
    const error = loadError(bytes, { maxMacs: model.macs - 1 });
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/maxMacs/);
    expect(error.message).toContain(`${model.macs} MACs, more than the limit of ${model.macs - 1} MACs`);
    expect(() => loadOnnxModel(bytes, { maxMacs: model.macs })).not.toThrow();
  });

  it('maxTensorElements: names the tensor, its size, the cap and the option', () => {
    // layer1.0.conv1.weight has 4*4*9 = 144 elements
    const error = loadError(bytes, { maxTensorElements: 100 });
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/'conv1\.weight'|'bn1\.|'layer1/);
    expect(error.message).toMatch(/limit of 100/);
    expect(error.message).toMatch(/maxTensorElements/);
    const relu = singleNodeModel({ opType: 'Relu', nodeName: 'act', inputShape: [1, 4, 8, 8] });
    const activation = loadError(relu, { maxTensorElements: 255 });
    expect(activation.code).toBe('too-large');
    expect(activation.message).toMatch(/Tensor 'y' \(output of Relu node 'act'\) has 256 elements per image/);
    expect(activation.message).toMatch(/limit of 255 \(option maxTensorElements\)/);
  });
});

describe('invalid graphs', () => {
  it('names a node on a cycle', () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 2, 2] }],
      outputs: [{ name: 'y' }],
      nodes: [
        { opType: 'Add', name: 'loop_a', inputs: ['x', 'b'], outputs: ['a'] },
        { opType: 'Relu', name: 'loop_b', inputs: ['a'], outputs: ['b'] },
        { opType: 'Relu', name: 'out', inputs: ['a'], outputs: ['y'] },
      ],
    });
    expectError(bytes, 'invalid-graph', /cycle/, /'loop_a'|'loop_b'/);
  });

  it('names a dangling tensor and the node that reads it', () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 2, 2] }],
      outputs: [{ name: 'y' }],
      nodes: [{ opType: 'Add', name: 'join', inputs: ['x', 'ghost'], outputs: ['y'] }],
    });
    expectError(bytes, 'invalid-graph', /'ghost'/, /'join'/, /dangling/);
  });

  it('names an output nobody computes, and tensors produced twice', () => {
    const noOutput = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 2, 2] }],
      outputs: [{ name: 'result' }],
      nodes: [{ opType: 'Relu', name: 'r', inputs: ['x'], outputs: ['y'] }],
    });
    expectError(noOutput, 'invalid-graph', /'result'/);
    const twice = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 2, 2] }],
      outputs: [{ name: 'y' }],
      nodes: [
        { opType: 'Relu', name: 'first', inputs: ['x'], outputs: ['y'] },
        { opType: 'Relu', name: 'second', inputs: ['x'], outputs: ['y'] },
      ],
    });
    expectError(twice, 'invalid-graph', /'y'/, /'first'/, /'second'/);
  });

  it('needs exactly one image input', () => {
    const none = buildOnnxModel({
      inputs: [],
      outputs: [{ name: 'y' }],
      initializers: [floats('x', [1, 1, 2, 2], [1, 2, 3, 4])],
      nodes: [{ opType: 'Relu', name: 'r', inputs: ['x'], outputs: ['y'] }],
    });
    expectError(none, 'invalid-graph', /no input/);
    const two = buildOnnxModel({
      inputs: [
        { name: 'a', shape: [1, 1, 2, 2] },
        { name: 'b', shape: [1, 1, 2, 2] },
      ],
      outputs: [{ name: 'y' }],
      nodes: [{ opType: 'Add', name: 'sum', inputs: ['a', 'b'], outputs: ['y'] }],
    });
    expectError(two, 'invalid-graph', /'a'/, /'b'/);
  });
});

describe('non-finite weights', () => {
  it.each([NaN, Infinity, -Infinity])('names the tensor holding %s', (bad) => {
    const values = new Array(18).fill(0.5);
    values[7] = bad;
    values[11] = bad;
    const bytes = singleNodeModel({
      opType: 'Conv',
      inputShape: [1, 1, 4, 4],
      initializers: [floats('layer1.0.conv1.weight', [2, 1, 3, 3], values)],
    });
    expectError(bytes, 'non-finite', /'layer1\.0\.conv1\.weight'/, /2 non-finite values/, /index 7/);
  });

  it('also checks float_data storage', () => {
    const bytes = singleNodeModel({
      opType: 'BatchNormalization',
      inputShape: [1, 2, 1, 1],
      initializers: [
        floats('s', [2], [1, 1]),
        floats('b', [2], [0, 0]),
        floats('m', [2], [0, 0]),
        floats('bn.var', [2], [1, NaN], 'typed'),
      ],
    });
    expectError(bytes, 'non-finite', /'bn\.var'/);
  });
});
