import { isConstant, type ConstantTable } from './constants';
import { ModelLoadError } from './errors';
import type { GraphNode } from './graph';
import { int64ToNumber, type Int64Like, type OnnxTypes } from './onnxProto';
import type { NetworkNode } from './types';

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

export function rejectUnsupportedOps(nodes: GraphNode[]): void {
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

/** The one graph input that is not an initializer: a fixed-size [N, C, H, W] float image (N is read as 1). */
export function imageInput(
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
    if (values[axis] > 0 && !Number.isSafeInteger(values[axis])) {
      throw new ModelLoadError(
        'shape-mismatch',
        `Graph input '${name}' has dimension ${values[axis]} on axis ${axis}, beyond the exactly representable sizes.`,
      );
    }
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
export function rejectMissingInitializers(nodes: GraphNode[], defined: Set<string>): void {
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
export function liveNodes(nodes: NetworkNode[], output: string): NetworkNode[] {
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
