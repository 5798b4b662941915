import { mulberry32 } from '../prng';
import { onnx, type OnnxTypes } from './onnxProto';

/** A tensor to embed in a built model. Float tensors default to raw_data (little-endian), like PyTorch writes. */
export interface TensorSpec {
  name: string;
  dims: number[];
  values: ArrayLike<number>;
  type?: 'float' | 'int64';
  encoding?: 'raw' | 'typed';
}

export type AttributeValue =
  | number
  | number[]
  | string
  | { int: number }
  | { float: number }
  | { ints: number[] }
  | { floats: number[] }
  | { tensor: TensorSpec };

export interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attributes?: Record<string, AttributeValue>;
}

export interface ValueSpec {
  name: string;
  /** Numbers are fixed sizes, strings symbolic ones (e.g. a batch dimension 'N'). */
  shape?: Array<number | string>;
}

export interface GraphSpec {
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  nodes: NodeSpec[];
  initializers?: TensorSpec[];
  opset?: number;
  irVersion?: number;
  producer?: string;
}

/** Attribute names whose plain-number values are FLOAT; every other plain number is written as INT. */
const FLOAT_ATTRIBUTES = new Set(['alpha', 'beta', 'epsilon', 'momentum', 'value_float']);
const AttributeType = onnx.AttributeProto.AttributeType;

export function tensorProto(spec: TensorSpec): OnnxTypes.ITensorProto {
  const base = { name: spec.name, dims: spec.dims };
  if (spec.type === 'int64') {
    return { ...base, dataType: onnx.TensorProto.DataType.INT64, int64Data: Array.from(spec.values) };
  }
  if (spec.encoding === 'typed') {
    return { ...base, dataType: onnx.TensorProto.DataType.FLOAT, floatData: Array.from(spec.values) };
  }
  const raw = new Uint8Array(spec.values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < spec.values.length; i++) view.setFloat32(i * 4, spec.values[i], true);
  return { ...base, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw };
}

function attributeProto(name: string, value: AttributeValue): OnnxTypes.IAttributeProto {
  if (typeof value === 'string')
    return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (typeof value === 'number') {
    return FLOAT_ATTRIBUTES.has(name)
      ? { name, type: AttributeType.FLOAT, f: value }
      : { name, type: AttributeType.INT, i: value };
  }
  if ('int' in value) return { name, type: AttributeType.INT, i: value.int };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  if ('ints' in value) return { name, type: AttributeType.INTS, ints: value.ints };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: value.floats };
  return { name, type: AttributeType.TENSOR, t: tensorProto(value.tensor) };
}

function valueInfo(spec: ValueSpec): OnnxTypes.IValueInfoProto {
  const dim = spec.shape?.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return {
    name: spec.name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: dim ? { dim } : undefined } },
  };
}

/** Encodes a graph as ONNX ModelProto bytes. */
export function buildOnnxModel(spec: GraphSpec): Uint8Array {
  const model: OnnxTypes.IModelProto = {
    irVersion: spec.irVersion ?? 8,
    producerName: spec.producer ?? 'effectual-builder',
    opsetImport: [{ domain: '', version: spec.opset ?? 13 }],
    graph: {
      name: 'graph',
      node: spec.nodes.map((n, index) => ({
        opType: n.opType,
        name: n.name ?? `${n.opType}_${index}`,
        domain: n.domain,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attributes ?? {}).map(([name, value]) => attributeProto(name, value)),
      })),
      initializer: (spec.initializers ?? []).map(tensorProto),
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
    },
  };
  return onnx.ModelProto.encode(model).finish();
}

export interface ResNetSpec {
  seed: number;
  inputShape: [1, number, number, number];
  stages: number;
  blocksPerStage: number;
  /** Channels per stage. */
  widths: number[];
  classes: number;
  /** Replaces every ReLU by ThresholdedRelu with this alpha (the DLAC recipe's export). */
  thresholdedRelu?: number;
  /** Weight storage: raw_data (default) or float_data. */
  weightEncoding?: 'raw' | 'typed';
  /** Classifier head: GlobalAveragePool+Flatten+Gemm(transB=1) (default) or GlobalAveragePool+Reshape+MatMul+Add. */
  head?: 'gemm' | 'matmul';
  /** Mimic torch.onnx TrainingMode.PRESERVE: conv weights behind Identity nodes, BN with training_mode = 0. */
  preserveStyle?: boolean;
}

/** Box-Muller normal samples from the seeded PRNG. */
function gaussian(rng: () => number): () => number {
  return () => {
    const u = 1 - rng();
    const v = rng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/**
 * A randomly initialised CIFAR-style ResNet (He et al. 2016): conv3x3+BN+ReLU stem, basic blocks with a
 * 1x1 conv+BN shortcut where the shape changes, residual Add, ReLU, GlobalAveragePool, Flatten, Gemm.
 * He-initialised weights; BN statistics and affine parameters are random and non-trivial.
 */
export function buildResNet(spec: ResNetSpec): Uint8Array {
  const rng = mulberry32(spec.seed);
  const normal = gaussian(rng);
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * rng();
  const encoding = spec.weightEncoding ?? 'raw';
  const nodes: NodeSpec[] = [];
  const initializers: TensorSpec[] = [];
  const addTensor = (name: string, dims: number[], sample: () => number) => {
    const values = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = sample();
    initializers.push({ name, dims, values, encoding });
    return name;
  };

  const conv = (prefix: string, input: string, cin: number, cout: number, kernel: number, stride: number) => {
    const std = Math.sqrt(2 / (cin * kernel * kernel));
    let weight = addTensor(`${prefix}.weight`, [cout, cin, kernel, kernel], () => std * normal());
    if (spec.preserveStyle) {
      nodes.push({
        opType: 'Identity',
        name: `${prefix}.weight.identity`,
        inputs: [weight],
        outputs: [`${prefix}.weight.copy`],
      });
      weight = `${prefix}.weight.copy`;
    }
    const pad = (kernel - 1) / 2;
    const attributes = {
      kernel_shape: [kernel, kernel],
      strides: [stride, stride],
      pads: [pad, pad, pad, pad],
      dilations: [1, 1],
      group: 1,
    };
    nodes.push({
      opType: 'Conv',
      name: prefix,
      inputs: [input, weight],
      outputs: [`${prefix}.out`],
      attributes,
    });
    return `${prefix}.out`;
  };
  const batchNorm = (prefix: string, input: string, channels: number) => {
    const params = [
      addTensor(`${prefix}.weight`, [channels], () => uniform(0.5, 1.5)),
      addTensor(`${prefix}.bias`, [channels], () => uniform(-0.3, 0.3)),
      addTensor(`${prefix}.running_mean`, [channels], () => uniform(-0.3, 0.3)),
      addTensor(`${prefix}.running_var`, [channels], () => uniform(0.5, 1.5)),
    ];
    const attributes: Record<string, AttributeValue> = { epsilon: 1e-5, momentum: 0.9 };
    if (spec.preserveStyle) attributes.training_mode = 0;
    nodes.push({
      opType: 'BatchNormalization',
      name: prefix,
      inputs: [input, ...params],
      outputs: [`${prefix}.out`],
      attributes,
    });
    return `${prefix}.out`;
  };
  const relu = (name: string, input: string) => {
    const threshold = spec.thresholdedRelu;
    if (threshold === undefined)
      nodes.push({ opType: 'Relu', name, inputs: [input], outputs: [`${name}.out`] });
    else
      nodes.push({
        opType: 'ThresholdedRelu',
        name,
        inputs: [input],
        outputs: [`${name}.out`],
        attributes: { alpha: threshold },
      });
    return `${name}.out`;
  };

  const [, channels] = spec.inputShape;
  let x = relu(
    'relu',
    batchNorm('bn1', conv('conv1', 'input', channels, spec.widths[0], 3, 1), spec.widths[0]),
  );
  let cin = spec.widths[0];
  for (let stage = 0; stage < spec.stages; stage++) {
    const cout = spec.widths[stage];
    for (let block = 0; block < spec.blocksPerStage; block++) {
      const prefix = `layer${stage + 1}.${block}`;
      const stride = stage > 0 && block === 0 ? 2 : 1;
      let out = relu(
        `${prefix}.relu1`,
        batchNorm(`${prefix}.bn1`, conv(`${prefix}.conv1`, x, cin, cout, 3, stride), cout),
      );
      out = batchNorm(`${prefix}.bn2`, conv(`${prefix}.conv2`, out, cout, cout, 3, 1), cout);
      let shortcut = x;
      if (stride !== 1 || cin !== cout) {
        shortcut = batchNorm(
          `${prefix}.downsample.1`,
          conv(`${prefix}.downsample.0`, x, cin, cout, 1, stride),
          cout,
        );
      }
      nodes.push({
        opType: 'Add',
        name: `${prefix}.add`,
        inputs: [out, shortcut],
        outputs: [`${prefix}.sum`],
      });
      x = relu(`${prefix}.relu2`, `${prefix}.sum`);
      cin = cout;
    }
  }
  nodes.push({ opType: 'GlobalAveragePool', name: 'avgpool', inputs: [x], outputs: ['pooled'] });
  const fcStd = Math.sqrt(2 / cin);
  if (spec.head === 'matmul') {
    initializers.push({ name: 'flat_shape', dims: [2], values: [1, -1], type: 'int64' });
    nodes.push({ opType: 'Reshape', name: 'flatten', inputs: ['pooled', 'flat_shape'], outputs: ['flat'] });
    addTensor('fc.weight_t', [cin, spec.classes], () => fcStd * normal());
    addTensor('fc.bias', [spec.classes], () => uniform(-0.1, 0.1));
    nodes.push({ opType: 'MatMul', name: 'fc', inputs: ['flat', 'fc.weight_t'], outputs: ['fc.mm'] });
    nodes.push({ opType: 'Add', name: 'fc.add', inputs: ['fc.mm', 'fc.bias'], outputs: ['logits'] });
  } else {
    nodes.push({
      opType: 'Flatten',
      name: 'flatten',
      inputs: ['pooled'],
      outputs: ['flat'],
      attributes: { axis: 1 },
    });
    addTensor('fc.weight', [spec.classes, cin], () => fcStd * normal());
    addTensor('fc.bias', [spec.classes], () => uniform(-0.1, 0.1));
    nodes.push({
      opType: 'Gemm',
      name: 'fc',
      inputs: ['flat', 'fc.weight', 'fc.bias'],
      outputs: ['logits'],
      attributes: { alpha: 1, beta: 1, transB: 1 },
    });
  }
  const [, c, h, w] = spec.inputShape;
  return buildOnnxModel({
    inputs: [{ name: 'input', shape: ['N', c, h, w] }],
    outputs: [{ name: 'logits', shape: ['N', spec.classes] }],
    nodes,
    initializers,
    opset: spec.preserveStyle ? 15 : 13,
  });
}
