import { outSize, type LayerGeometry } from '../../types';
import { convFootprint } from '../footprint';
import type { NodeAttributes } from '../attributes';
import { constantSource } from '../constants';
import { ModelLoadError, formatShape } from '../errors';
import type { GraphNode } from '../graph';
import type { ConvNode, GemmNode } from '../types';
import {
  activation,
  label,
  checkNoDilation,
  constantFloat,
  mismatch,
  pair,
  readPads,
  setOutput,
  type ConvertContext,
} from './context';

export function convertConv(node: GraphNode, attributes: NodeAttributes, context: ConvertContext): ConvNode {
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
  const geometry: LayerGeometry = { kind: 'conv', C, H, W, K, Kh, Kw, stride, pad };
  const footprint = convFootprint(geometry);
  if (footprint > context.maxTensorElements) {
    throw new ModelLoadError(
      'too-large',
      `${label(node)}: with padding ${pad} and stride ${stride} its padded or space-to-depth input or weights ` +
        `would hold ${footprint} elements, more than the limit of ${context.maxTensorElements} (option maxTensorElements).`,
    );
  }
  const layer = context.layers.length;
  context.layers.push({
    name: node.name,
    kind: 'conv',
    geometry,
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

export function convertGemm(node: GraphNode, attributes: NodeAttributes, context: ConvertContext): GemmNode {
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
