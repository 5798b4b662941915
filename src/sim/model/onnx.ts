import { layerMacs } from '../types';
import { imageInput, liveNodes, rejectMissingInitializers, rejectUnsupportedOps } from './checks';
import { constantSource, foldConstantNodes, readInitializers, type ConstantTable } from './constants';
import { convertNode, type ConvertContext } from './convert';
import { decodeModelProto } from './decode';
import { ModelLoadError, formatBytes } from './errors';
import { LAYER_OPS, nameNodes, orderGraph, type GraphNode } from './graph';
import { finishLayers } from './layers';
import { int64ToNumber, type Int64Like, type OnnxTypes } from './onnxProto';

export { SUPPORTED_OPS } from './checks';
import { DEFAULT_LOAD_LIMITS, type LoadOptions, type NetworkModel } from './types';

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

/** Unnamed conv/FC nodes take the name of the initializer behind their weights (through Identity copies). */
function nameUnnamedLayers(nodes: GraphNode[], constants: ConstantTable): void {
  const names = new Set(nodes.map((n) => n.name));
  for (const node of nodes) {
    if (node.proto.name || !LAYER_OPS.has(node.opType)) continue;
    const source = constantSource(constants, node.inputs[1] ?? '');
    if (source && !names.has(source)) {
      names.delete(node.name);
      node.name = source;
      names.add(source);
    }
  }
}

/** Decodes and validates an ONNX ResNet-style model; throws only ModelLoadError. */
export function loadOnnxModel(bytes: Uint8Array, options: LoadOptions = {}): NetworkModel {
  const limits = { ...DEFAULT_LOAD_LIMITS, ...options };
  checkCap(bytes.length, limits.maxBytes, 'The model file', 'maxBytes', formatBytes);
  const proto = decodeModelProto(bytes, limits);
  const graph = proto.graph as OnnxTypes.IGraphProto;
  const allNodes = nameNodes(graph.node ?? []);
  rejectUnsupportedOps(allNodes);
  const constants = readInitializers(graph, limits.maxTensorElements);
  const computeNodes = foldConstantNodes(allNodes, constants, limits.maxTensorElements);
  nameUnnamedLayers(computeNodes, constants);
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
  // After the nodes, whose messages name the tensor that grows; nothing has been sized by the input yet.
  const [, channels, height, width] = input.shape;
  checkCap(
    channels * height * width,
    limits.maxTensorElements,
    `Graph input '${input.name}' (${channels}x${height}x${width} per image)`,
    'maxTensorElements',
    (v) => `${v} elements`,
  );
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
