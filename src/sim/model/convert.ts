import { outSize } from '../types';
import { NodeAttributes } from './attributes';
import { ModelLoadError, formatShape } from './errors';
import { constantSource, isConstant, type ConstantTable } from './constants';
import type { GraphNode } from './graph';
import type { BatchNormNode, ConvNode, GemmNode, NetworkLayer, NetworkNode, PoolNode } from './types';

/** State shared while nodes are converted in topological order. */
export interface ConvertContext {
  constants: ConstantTable;
  /** Batch-1 shapes of the activation tensors computed so far. */
  shapes: Map<string, number[]>;
  layers: NetworkLayer[];
  maxTensorElements: number;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function label(node: GraphNode): string {
  return `${node.opType} node '${node.name}'`;
}

function mismatch(node: GraphNode, detail: string): never {
  throw new ModelLoadError('shape-mismatch', `${label(node)}: ${detail}.`);
}

/** Shape of activation input `index`; constants are not accepted where an activation is expected. */
function activation(node: GraphNode, context: ConvertContext, index = 0): number[] {
  const name = node.inputs[index] ?? '';
  const shape = context.shapes.get(name);
  if (shape) return shape;
  if (isConstant(context.constants, name)) {
    throw new ModelLoadError(
      'unsupported-op',
      `${label(node)}: input '${name}' is a constant; this loader needs a computed activation there.`,
    );
  }
  throw new ModelLoadError('invalid-graph', `${label(node)}: input ${index + 1} is missing.`);
}

function constantFloat(node: GraphNode, context: ConvertContext, index: number, role: string) {
  const name = node.inputs[index] ?? '';
  const values = context.constants.floats.get(name);
  const shape = context.constants.floatShapes.get(name);
  if (values && shape) return { name, values, shape };
  if (!name) {
    throw new ModelLoadError('missing-initializer', `${label(node)} has no ${role} input.`);
  }
  const other =
    context.constants.others.get(name) ?? (context.constants.ints.has(name) ? 'INT64' : undefined);
  if (other) {
    throw new ModelLoadError(
      'unsupported-op',
      `${label(node)}: ${role} '${name}' has data type ${other}; FLOAT is needed.`,
    );
  }
  const computed = context.shapes.has(name)
    ? ' (it is computed by another node; only constant weights are supported)'
    : '';
  throw new ModelLoadError(
    'missing-initializer',
    `${label(node)} needs initializer '${name}' for its ${role}, which the file does not contain${computed}.`,
  );
}

function setOutput(node: GraphNode, context: ConvertContext, shape: number[]): string {
  const output = node.outputs[0];
  if (!output) throw new ModelLoadError('invalid-graph', `${label(node)} has no output.`);
  if (shape.some((d) => d < 1)) mismatch(node, `its output would have shape ${formatShape(shape)}`);
  const elements = size(shape);
  if (elements > context.maxTensorElements) {
    throw new ModelLoadError(
      'too-large',
      `Tensor '${output}' (output of ${label(node)}) has ${elements} elements per image, more than the limit of ` +
        `${context.maxTensorElements} (option maxTensorElements).`,
    );
  }
  context.shapes.set(output, shape);
  return output;
}

/** A two-value spatial attribute such as strides; absent means [fallback, fallback]. */
function pair(attributes: NodeAttributes, name: string, fallback: number): [number, number] {
  const values = attributes.ints(name);
  if (!values) return [fallback, fallback];
  if (values.length !== 2 || values.some((v) => v < 1))
    attributes.unsupported(name, values, 'two positive values expected for a 2-D input');
  return [values[0], values[1]];
}

function checkNoDilation(attributes: NodeAttributes): void {
  const dilations = attributes.ints('dilations');
  if (dilations && dilations.some((d) => d !== 1))
    attributes.unsupported('dilations', dilations, 'only 1 is supported');
}

/** pads as [top, left, bottom, right]; auto_pad other than NOTSET/VALID is refused. */
function readPads(attributes: NodeAttributes): [number, number, number, number] {
  const autoPad = attributes.string('auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET' && autoPad !== 'VALID') {
    attributes.unsupported('auto_pad', autoPad, 'use explicit pads');
  }
  const pads = attributes.ints('pads');
  if (!pads || autoPad === 'VALID') return [0, 0, 0, 0];
  if (pads.length !== 4) attributes.unsupported('pads', pads, 'four values expected for a 2-D input');
  if (pads.some((p) => p < 0)) attributes.unsupported('pads', pads, 'negative padding');
  return [pads[0], pads[1], pads[2], pads[3]];
}

function convertConv(node: GraphNode, attributes: NodeAttributes, context: ConvertContext): ConvNode {
  const x = activation(node, context);
  const weight = constantFloat(node, context, 1, 'weights');
  const group = attributes.int('group', 1);
  if (group !== 1) attributes.unsupported('group', group, 'only group = 1 is supported');
  checkNoDilation(attributes);
  const pads = readPads(attributes);
  if (pads.some((p) => p !== pads[0]))
    attributes.unsupported('pads', pads, 'only equal padding on all sides is supported');
  const strides = pair(attributes, 'strides', 1);
  if (strides[0] !== strides[1])
    attributes.unsupported('strides', strides, 'only equal strides are supported');
  if (x.length !== 4)
    mismatch(node, `input '${node.inputs[0]}' has shape ${formatShape(x)}; [N, C, H, W] is expected`);
  const w = weight.shape;
  if (w.length !== 4 || w[1] !== x[1] || w.some((d) => d < 1)) {
    mismatch(
      node,
      `input '${node.inputs[0]}' has shape ${formatShape(x)} (${x[1]} channels) but weight '${weight.name}' has shape ` +
        `${formatShape(w)} (expects [K, ${x[1]}, Kh, Kw])`,
    );
  }
  const kernelShape = attributes.ints('kernel_shape');
  if (kernelShape && (kernelShape[0] !== w[2] || kernelShape[1] !== w[3])) {
    mismatch(
      node,
      `kernel_shape ${formatShape(kernelShape)} does not match weight '${weight.name}' ${formatShape(w)}`,
    );
  }
  const [K, C, Kh, Kw] = w;
  let bias: Float32Array | undefined;
  if (node.inputs[2]) {
    const b = constantFloat(node, context, 2, 'bias');
    if (b.values.length !== K)
      mismatch(node, `bias '${b.name}' has shape ${formatShape(b.shape)}; [${K}] is expected`);
    bias = b.values;
  }
  const pad = pads[0];
  const stride = strides[0];
  const [, , H, W] = x;
  const output = setOutput(node, context, [1, K, outSize(H, Kh, stride, pad), outSize(W, Kw, stride, pad)]);
  const layer = context.layers.length;
  context.layers.push({
    name: node.name,
    kind: 'conv',
    geometry: { kind: 'conv', C, H, W, K, Kh, Kw, stride, pad },
    weightName: constantSource(context.constants, weight.name),
    weights: weight.values,
    bias,
    isFirst: false,
    isLast: false,
    pointwiseOps: 0,
    nodeName: node.name,
    inputName: node.inputs[0],
  });
  const inputs = node.inputs.filter(Boolean);
  return {
    op: 'Conv',
    name: node.name,
    inputs,
    output,
    input: node.inputs[0],
    weight: weight.name,
    bias: node.inputs[2] || undefined,
    kernel: [Kh, Kw],
    stride,
    pad,
    layer,
  };
}

function convertBatchNorm(
  node: GraphNode,
  attributes: NodeAttributes,
  context: ConvertContext,
): BatchNormNode {
  if (attributes.int('training_mode', 0) !== 0) {
    attributes.unsupported('training_mode', 1, 'export the model in eval mode');
  }
  if (attributes.int('spatial', 1) !== 1)
    attributes.unsupported('spatial', 0, 'only spatial = 1 is supported');
  if (node.outputs.slice(1).some(Boolean)) {
    throw new ModelLoadError(
      'unsupported-op',
      `${label(node)}: training-mode outputs (running mean/var) are not supported.`,
    );
  }
  const x = activation(node, context);
  if (x.length < 2)
    mismatch(node, `input '${node.inputs[0]}' has shape ${formatShape(x)}; a channel axis is expected`);
  const roles = ['scale', 'bias', 'mean', 'variance'];
  const params = roles.map((role, i) => constantFloat(node, context, i + 1, role));
  for (const [i, p] of params.entries()) {
    if (p.values.length !== x[1]) {
      mismatch(
        node,
        `${roles[i]} '${p.name}' has shape ${formatShape(p.shape)} but input '${node.inputs[0]}' has ${x[1]} channels`,
      );
    }
  }
  const output = setOutput(node, context, [...x]);
  const [scale, bias, mean, variance] = params.map((p) => p.name);
  return {
    op: 'BatchNormalization',
    name: node.name,
    inputs: node.inputs.filter(Boolean),
    output,
    input: node.inputs[0],
    scale,
    bias,
    mean,
    variance,
    epsilon: attributes.float('epsilon', 1e-5),
  };
}

function convertPool(node: GraphNode, attributes: NodeAttributes, context: ConvertContext): PoolNode {
  if (node.outputs.slice(1).some(Boolean)) {
    throw new ModelLoadError('unsupported-op', `${label(node)}: the Indices output is not supported.`);
  }
  checkNoDilation(attributes);
  const ceilMode = attributes.int('ceil_mode', 0);
  if (ceilMode !== 0) attributes.unsupported('ceil_mode', ceilMode, 'only ceil_mode = 0 is supported');
  const x = activation(node, context);
  if (x.length !== 4)
    mismatch(node, `input '${node.inputs[0]}' has shape ${formatShape(x)}; [N, C, H, W] is expected`);
  const kernelShape = attributes.ints('kernel_shape');
  if (!kernelShape || kernelShape.length !== 2 || kernelShape.some((k) => k < 1)) {
    attributes.unsupported('kernel_shape', kernelShape ?? [], 'two positive values required');
  }
  const kernel: [number, number] = [kernelShape[0], kernelShape[1]];
  const strides = pair(attributes, 'strides', 1);
  const pads = readPads(attributes);
  if (pads[0] >= kernel[0] || pads[2] >= kernel[0] || pads[1] >= kernel[1] || pads[3] >= kernel[1]) {
    mismatch(node, `pads ${formatShape(pads)} must be smaller than kernel ${formatShape(kernel)}`);
  }
  const oh = Math.floor((x[2] + pads[0] + pads[2] - kernel[0]) / strides[0]) + 1;
  const ow = Math.floor((x[3] + pads[1] + pads[3] - kernel[1]) / strides[1]) + 1;
  const output = setOutput(node, context, [1, x[1], oh, ow]);
  const op = node.opType === 'MaxPool' ? 'MaxPool' : 'AveragePool';
  const countIncludePad = attributes.int('count_include_pad', 0) !== 0;
  return {
    op,
    name: node.name,
    inputs: node.inputs.filter(Boolean),
    output,
    input: node.inputs[0],
    kernel,
    strides,
    pads,
    countIncludePad,
  };
}

function convertGemm(node: GraphNode, attributes: NodeAttributes, context: ConvertContext): GemmNode {
  const isGemm = node.opType === 'Gemm';
  if (isGemm && attributes.int('transA', 0) !== 0)
    attributes.unsupported('transA', 1, 'only transA = 0 is supported');
  const a = activation(node, context);
  const weight = constantFloat(node, context, 1, 'weights');
  const transB = isGemm && attributes.int('transB', 0) !== 0;
  const w = weight.shape;
  if (a.length !== 2 || a[0] !== 1 || w.length !== 2 || a[1] !== (transB ? w[1] : w[0])) {
    mismatch(
      node,
      `input '${node.inputs[0]}' has shape ${formatShape(a)} but weight '${weight.name}' has shape ${formatShape(w)}` +
        `${isGemm ? ` with transB = ${transB ? 1 : 0}` : ''} (expects input [1, ${transB ? w[1] : w[0]}])`,
    );
  }
  const inFeatures = a[1];
  const outFeatures = transB ? w[0] : w[1];
  const weights = transB ? weight.values : transpose(weight.values, w[0], w[1]);
  let bias: Float32Array | undefined;
  if (isGemm && node.inputs[2]) {
    const c = constantFloat(node, context, 2, 'bias');
    if (c.values.length === outFeatures) bias = c.values;
    else if (c.values.length === 1) bias = new Float32Array(outFeatures).fill(c.values[0]);
    else mismatch(node, `bias '${c.name}' has shape ${formatShape(c.shape)}; [${outFeatures}] is expected`);
  }
  const output = setOutput(node, context, [1, outFeatures]);
  const layer = context.layers.length;
  context.layers.push({
    name: node.name,
    kind: 'fc',
    geometry: { kind: 'fc', C: inFeatures, H: 1, W: 1, K: outFeatures, Kh: 1, Kw: 1, stride: 1, pad: 0 },
    weightName: constantSource(context.constants, weight.name),
    weights,
    bias,
    isFirst: false,
    isLast: false,
    pointwiseOps: 0,
    nodeName: node.name,
    inputName: node.inputs[0],
  });
  return {
    op: isGemm ? 'Gemm' : 'MatMul',
    name: node.name,
    inputs: node.inputs.filter(Boolean),
    output,
    input: node.inputs[0],
    weight: weight.name,
    bias: bias ? node.inputs[2] : undefined,
    alpha: isGemm ? attributes.float('alpha', 1) : 1,
    beta: isGemm ? attributes.float('beta', 1) : 1,
    layer,
  };
}

/** [rows][cols] -> [cols][rows] */
function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  return out;
}

function convertAdd(node: GraphNode, context: ConvertContext): NetworkNode {
  const [first, second] = node.inputs;
  const firstShape = context.shapes.get(first) ?? context.constants.floatShapes.get(first);
  const secondShape = context.shapes.get(second) ?? context.constants.floatShapes.get(second);
  if (!firstShape || !secondShape) {
    const missing = firstShape ? second : first;
    throw new ModelLoadError(
      'missing-initializer',
      `${label(node)}: operand '${missing ?? ''}' is not a FLOAT tensor.`,
    );
  }
  const firstIsActivation = context.shapes.has(first);
  const secondIsActivation = context.shapes.has(second);
  if (!firstIsActivation && !secondIsActivation) {
    throw new ModelLoadError('unsupported-op', `${label(node)}: adding two constants is not supported.`);
  }
  const [big, small] = firstIsActivation ? [firstShape, secondShape] : [secondShape, firstShape];
  const bothActivations = firstIsActivation && secondIsActivation;
  const fits = bothActivations ? sameShape(big, small) : broadcastsInto(small, big);
  if (!fits) {
    mismatch(
      node,
      `operands '${first}' ${formatShape(firstShape)} and '${second}' ${formatShape(secondShape)} do not fit together`,
    );
  }
  const output = setOutput(node, context, [...big]);
  return { op: 'Add', name: node.name, inputs: [first, second], output };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** numpy broadcasting of a constant into an activation shape, without changing that shape. */
export function broadcastsInto(small: readonly number[], big: readonly number[]): boolean {
  if (small.length > big.length) return false;
  const offset = big.length - small.length;
  return small.every((d, i) => d === 1 || d === big[i + offset]);
}

function convertReshape(node: GraphNode, attributes: NodeAttributes, context: ConvertContext): NetworkNode {
  const x = activation(node, context);
  let target = attributes.ints('shape');
  if (node.inputs[1]) {
    target = context.constants.ints.get(node.inputs[1]);
    if (!target) {
      throw new ModelLoadError(
        'missing-initializer',
        `${label(node)} needs its target shape '${node.inputs[1]}' as an INT64 initializer or Constant.`,
      );
    }
  }
  if (!target) throw new ModelLoadError('missing-initializer', `${label(node)} has no target shape.`);
  const allowZero = attributes.int('allowzero', 0) !== 0;
  const resolved = target.map((d, i) => (d === 0 && !allowZero ? (x[i] ?? 0) : d));
  const unknown = resolved.filter((d) => d === -1).length;
  const known = resolved.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  if (
    unknown > 1 ||
    resolved.some((d) => d < -1) ||
    (unknown === 1 && (known === 0 || size(x) % known !== 0))
  ) {
    mismatch(node, `cannot reshape ${formatShape(x)} to ${formatShape(target)}`);
  }
  const shape = resolved.map((d) => (d === -1 ? size(x) / known : d));
  if (size(shape) !== size(x)) mismatch(node, `cannot reshape ${formatShape(x)} to ${formatShape(target)}`);
  const output = setOutput(node, context, shape);
  return {
    op: 'Reshape',
    name: node.name,
    inputs: node.inputs.filter(Boolean),
    output,
    input: node.inputs[0],
  };
}

function convertFlatten(node: GraphNode, attributes: NodeAttributes, context: ConvertContext): NetworkNode {
  const x = activation(node, context);
  let axis = attributes.int('axis', 1);
  if (axis < 0) axis += x.length;
  if (axis < 0 || axis > x.length) attributes.unsupported('axis', axis, `input has rank ${x.length}`);
  const output = setOutput(node, context, [size(x.slice(0, axis)), size(x.slice(axis))]);
  return { op: 'Flatten', name: node.name, inputs: [node.inputs[0]], output, input: node.inputs[0] };
}

function convertElementwise(
  node: GraphNode,
  attributes: NodeAttributes,
  context: ConvertContext,
): NetworkNode {
  const x = activation(node, context);
  const input = node.inputs[0];
  if (node.opType === 'GlobalAveragePool') {
    if (x.length !== 4)
      mismatch(node, `input '${input}' has shape ${formatShape(x)}; [N, C, H, W] is expected`);
    const output = setOutput(node, context, [1, x[1], 1, 1]);
    return { op: 'GlobalAveragePool', name: node.name, inputs: [input], output, input };
  }
  const output = setOutput(node, context, [...x]);
  if (node.opType === 'ThresholdedRelu') {
    return {
      op: 'ThresholdedRelu',
      name: node.name,
      inputs: [input],
      output,
      input,
      alpha: attributes.float('alpha', 1),
    };
  }
  const op = node.opType === 'Relu' ? 'Relu' : 'Identity';
  return { op, name: node.name, inputs: [input], output, input };
}

/** Converts one node (already in topological order) and records its output shape. */
export function convertNode(node: GraphNode, context: ConvertContext): NetworkNode {
  const attributes = new NodeAttributes(node.proto, label(node));
  switch (node.opType) {
    case 'Conv':
      return convertConv(node, attributes, context);
    case 'BatchNormalization':
      return convertBatchNorm(node, attributes, context);
    case 'MaxPool':
    case 'AveragePool':
      return convertPool(node, attributes, context);
    case 'Gemm':
    case 'MatMul':
      return convertGemm(node, attributes, context);
    case 'Add':
      return convertAdd(node, context);
    case 'Reshape':
      return convertReshape(node, attributes, context);
    case 'Flatten':
      return convertFlatten(node, attributes, context);
    default:
      return convertElementwise(node, attributes, context);
  }
}
