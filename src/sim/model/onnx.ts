import { layerMacs } from '../types';
import { foldConstantNodes, isConstant, readInitializers, type ConstantTable } from './constants';
import { convertNode, type ConvertContext } from './convert';
import { decodeModelProto } from './decode';
import { ModelLoadError, formatBytes } from './errors';
import { nameNodes, orderGraph, type GraphNode } from './graph';
import { finishLayers } from './layers';
import { int64ToNumber, type Int64Like, type OnnxTypes } from './onnxProto';
import { DEFAULT_LOAD_LIMITS, type LoadOptions, type NetworkModel, type NetworkNode } from './types';

export const SUPPORTED_OPS = [
  'Conv',
  'BatchNormalization',
  'Relu',
  'ThresholdedRelu',
  'Add',
  'MaxPool',
  'AveragePool',
  'GlobalAveragePool',
  'Flatten',
  'Reshape',
  'Gemm',
  'MatMul',
  'Constant',
  'Identity',
] as const;

const supported = new Set<string>(SUPPORTED_OPS);

function rejectUnsupportedOps(nodes: GraphNode[]): void {
  const bad = nodes.filter(
    (n) => !supported.has(n.opType) || (n.proto.domain && n.proto.domain !== 'ai.onnx'),
  );
  if (bad.length === 0) return;
  const first = bad[0];
  const op =
    first.proto.domain && first.proto.domain !== 'ai.onnx'
      ? `${first.proto.domain}.${first.opType}`
      : first.opType;
  const others =
    bad.length > 1
      ? ` (${bad.length - 1} more unsupported node${bad.length > 2 ? 's' : ''}: ${[...new Set(bad.slice(1).map((n) => n.opType))].slice(0, 5).join(', ')})`
      : '';
  throw new ModelLoadError(
    'unsupported-op',
    `Unsupported operator '${op}' in node '${first.name}'${others}. Supported operators: ${SUPPORTED_OPS.join(', ')}.`,
  );
}

function imageInput(
  graph: OnnxTypes.IGraphProto,
  constants: ConstantTable,
): { name: string; shape: [1, number, number, number] } {
  const inputs = (graph.input ?? []).filter((i) => !isConstant(constants, i.name ?? ''));
  if (inputs.length === 0)
    throw new ModelLoadError('invalid-graph', 'The graph has no input besides its initializers.');
  if (inputs.length > 1) {
    throw new ModelLoadError(
      'invalid-graph',
      `The graph has ${inputs.length} inputs (${inputs.map((i) => `'${i.name}'`).join(', ')}); one image input is supported.`,
    );
  }
  const input = inputs[0];
  const name = input.name ?? '';
  const tensorType = input.type?.tensorType;
  if (tensorType?.elemType && tensorType.elemType !== 1) {
    throw new ModelLoadError(
      'unsupported-op',
      `Graph input '${name}' has element type ${tensorType.elemType}; FLOAT is needed.`,
    );
  }
  const dims = tensorType?.shape?.dim ?? [];
  if (dims.length !== 4) {
    throw new ModelLoadError(
      'shape-mismatch',
      `Graph input '${name}' has ${tensorType?.shape ? `rank ${dims.length}` : 'no shape'}; an image input [N, C, H, W] is needed.`,
    );
  }
  const values = dims.map((d) => int64ToNumber(d.dimValue as Int64Like));
  for (let axis = 1; axis < 4; axis++) {
    if (!(values[axis] > 0)) {
      const symbol = dims[axis].dimParam
        ? `symbolic dimension '${dims[axis].dimParam}'`
        : 'an unknown dimension';
      throw new ModelLoadError(
        'shape-mismatch',
        `Graph input '${name}' has ${symbol} on axis ${axis}; C, H and W must be fixed.`,
      );
    }
  }
  return { name, shape: [1, values[1], values[2], values[3]] };
}

/** Inputs that must be constants: [op][position] -> role. */
const PARAMETER_INPUTS: Record<string, string[]> = {
  Conv: ['', 'weights', 'bias'],
  BatchNormalization: ['', 'scale', 'bias', 'mean', 'variance'],
  Gemm: ['', 'weights', 'bias'],
  MatMul: ['', 'weights'],
  Reshape: ['', 'target shape'],
};

/** A parameter that is neither an initializer nor computed by any node is a missing initializer. */
function rejectMissingInitializers(nodes: GraphNode[], defined: Set<string>): void {
  const produced = new Set(nodes.flatMap((n) => n.outputs));
  for (const node of nodes) {
    const roles = PARAMETER_INPUTS[node.opType] ?? [];
    node.inputs.forEach((input, position) => {
      const role = roles[position];
      if (!role || !input || defined.has(input) || produced.has(input)) return;
      throw new ModelLoadError(
        'missing-initializer',
        `${node.opType} node '${node.name}' needs initializer '${input}' for its ${role}, which the file does not contain.`,
      );
    });
  }
}

/** Keeps only the nodes the graph output depends on. */
function liveNodes(nodes: NetworkNode[], output: string): NetworkNode[] {
  const needed = new Set([output]);
  const live: NetworkNode[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (!needed.has(node.output)) continue;
    live.push(node);
    for (const input of node.inputs) needed.add(input);
  }
  return live.reverse();
}

function checkCap(
  value: number,
  cap: number,
  what: string,
  option: keyof LoadOptions,
  show: (v: number) => string,
): void {
  if (value > cap) {
    throw new ModelLoadError(
      'too-large',
      `${what} is ${show(value)}, more than the limit of ${show(cap)} (option ${option}).`,
    );
  }
}

function formatMacs(macs: number): string {
  return macs >= 1e6 ? `${macs} MACs (${(macs / 1e6).toFixed(1)} million)` : `${macs} MACs`;
}

/** Decodes and validates an ONNX ResNet-style model; throws only ModelLoadError. */
export function loadOnnxModel(bytes: Uint8Array, options: LoadOptions = {}): NetworkModel {
  const limits = { ...DEFAULT_LOAD_LIMITS, ...options };
  checkCap(bytes.length, limits.maxBytes, 'The model file', 'maxBytes', formatBytes);
  const proto = decodeModelProto(bytes);
  const graph = proto.graph as OnnxTypes.IGraphProto;
  const allNodes = nameNodes(graph.node ?? []);
  rejectUnsupportedOps(allNodes);
  const constants = readInitializers(graph, limits.maxTensorElements);
  const computeNodes = foldConstantNodes(allNodes, constants, limits.maxTensorElements);
  const input = imageInput(graph, constants);
  const outputName = graph.output?.[0]?.name ?? '';
  if (!outputName) throw new ModelLoadError('invalid-graph', 'The graph declares no output.');

  const defined = new Set([
    input.name,
    ...constants.floats.keys(),
    ...constants.ints.keys(),
    ...constants.others.keys(),
  ]);
  rejectMissingInitializers(computeNodes, defined);
  const ordered = orderGraph(computeNodes, defined);
  const context: ConvertContext = {
    constants,
    shapes: new Map([[input.name, [...input.shape]]]),
    layers: [],
    maxTensorElements: limits.maxTensorElements,
  };
  const converted = ordered.map((node) => convertNode(node, context));
  const outputShape = context.shapes.get(outputName);
  if (!outputShape) {
    throw new ModelLoadError(
      'invalid-graph',
      `The graph output '${outputName}' is not computed by any node.`,
    );
  }
  const nodes = liveNodes(converted, outputName);
  const liveNames = new Set(nodes.map((n) => n.name));
  const layers = context.layers
    .filter((layer) => liveNames.has(layer.nodeName))
    .map((layer) => ({ ...layer }));
  const renumbered = new Map(layers.map((layer, index) => [layer.nodeName, index]));
  for (const node of nodes) {
    if (node.op === 'Conv' || node.op === 'Gemm' || node.op === 'MatMul')
      node.layer = renumbered.get(node.name) as number;
  }
  finishLayers(layers, nodes, constants.floats, outputName);
  const macs = layers.reduce((sum, layer) => sum + layerMacs(layer.geometry), 0);
  checkCap(macs, limits.maxMacs, 'The conv/FC work per image', 'maxMacs', formatMacs);

  const usedTensors = new Set(nodes.flatMap((n) => n.inputs));
  const initializers: Record<string, Float32Array> = {};
  const tensorShapes: Record<string, number[]> = {};
  for (const layer of layers) usedTensors.add(layer.weightName);
  for (const [name, values] of constants.floats) {
    if (!usedTensors.has(name)) continue;
    initializers[name] = values;
    tensorShapes[name] = constants.floatShapes.get(name) as number[];
  }
  for (const [name, shape] of context.shapes) tensorShapes[name] = shape;
  const opset = (proto.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  return {
    inputName: input.name,
    inputShape: input.shape,
    outputName,
    outputShape,
    classes: outputShape.reduce((a, b) => a * b, 1),
    nodes,
    initializers,
    tensorShapes,
    layers,
    macs,
    producer: [proto.producerName, proto.producerVersion].filter(Boolean).join(' '),
    opsetVersion: int64ToNumber(opset?.version as Int64Like),
  };
}
