import type { NodeAttributes } from '../attributes';
import { ModelLoadError, formatShape } from '../errors';
import type { GraphNode } from '../graph';
import type { BatchNormNode, NetworkNode, PoolNode } from '../types';
import {
  activation,
  checkNoDilation,
  constantFloat,
  label,
  mismatch,
  pair,
  readPads,
  setOutput,
  size,
  type ConvertContext,
} from './context';

export function convertBatchNorm(
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

export function convertPool(node: GraphNode, attributes: NodeAttributes, context: ConvertContext): PoolNode {
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

export function convertAdd(node: GraphNode, context: ConvertContext): NetworkNode {
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

export function convertReshape(
  node: GraphNode,
  attributes: NodeAttributes,
  context: ConvertContext,
): NetworkNode {
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

export function convertFlatten(
  node: GraphNode,
  attributes: NodeAttributes,
  context: ConvertContext,
): NetworkNode {
  const x = activation(node, context);
  let axis = attributes.int('axis', 1);
  if (axis < 0) axis += x.length;
  if (axis < 0 || axis > x.length) attributes.unsupported('axis', axis, `input has rank ${x.length}`);
  const output = setOutput(node, context, [size(x.slice(0, axis)), size(x.slice(axis))]);
  return { op: 'Flatten', name: node.name, inputs: [node.inputs[0]], output, input: node.inputs[0] };
}

export function convertElementwise(
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
