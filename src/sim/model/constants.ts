import { NodeAttributes } from './attributes';
import { ModelLoadError } from './errors';
import type { GraphNode } from './graph';
import type { OnnxTypes } from './onnxProto';
import { dataTypeName, decodeFloatTensor, decodeIntTensor, isIntegerTensor, tensorDims } from './tensors';

/** Every tensor whose value is known before inference: initializers, Constant outputs and their Identity aliases. */
export interface ConstantTable {
  floats: Map<string, Float32Array>;
  floatShapes: Map<string, number[]>;
  ints: Map<string, number[]>;
  /** Initializers of a type we do not compute with (kept so that errors can say what they are). */
  others: Map<string, string>;
  /** Identity outputs -> the initializer (or Constant output) they copy. */
  sourceOf: Map<string, string>;
}

/** The initializer or Constant a tensor name finally refers to, looking through Identity nodes. */
export function constantSource(table: ConstantTable, name: string): string {
  return table.sourceOf.get(name) ?? name;
}

export function isConstant(table: ConstantTable, name: string): boolean {
  return table.floats.has(name) || table.ints.has(name) || table.others.has(name);
}

function addTensor(
  table: ConstantTable,
  name: string,
  tensor: OnnxTypes.ITensorProto,
  what: string,
  maxElements: number,
) {
  if (isIntegerTensor(tensor)) {
    table.ints.set(name, decodeIntTensor(tensor, what));
  } else if (tensor.dataType === 1 || tensor.dataType === 11) {
    table.floats.set(name, decodeFloatTensor(tensor, what, maxElements));
    table.floatShapes.set(name, tensorDims(tensor, what));
  } else {
    table.others.set(name, dataTypeName(tensor.dataType ?? 0));
  }
}

export function readInitializers(graph: OnnxTypes.IGraphProto, maxElements: number): ConstantTable {
  const table: ConstantTable = {
    floats: new Map(),
    floatShapes: new Map(),
    ints: new Map(),
    others: new Map(),
    sourceOf: new Map(),
  };
  for (const tensor of graph.initializer ?? []) {
    const name = tensor.name ?? '';
    addTensor(table, name, tensor, `Initializer '${name}'`, maxElements);
  }
  return table;
}

function constantNodeValue(node: GraphNode): OnnxTypes.ITensorProto {
  const attributes = new NodeAttributes(node.proto, `Constant node '${node.name}'`);
  const tensor = attributes.tensor('value');
  if (tensor) return tensor;
  const floats = attributes.floats('value_floats');
  if (floats) return { dataType: 1, dims: [floats.length], floatData: floats };
  if (attributes.has('value_float'))
    return { dataType: 1, dims: [], floatData: [attributes.float('value_float', 0)] };
  const ints = attributes.ints('value_ints');
  if (ints) return { dataType: 7, dims: [ints.length], int64Data: ints };
  if (attributes.has('value_int'))
    return { dataType: 7, dims: [], int64Data: [attributes.int('value_int', 0)] };
  throw new ModelLoadError(
    'unsupported-op',
    `Constant node '${node.name}' has no value attribute this loader understands (value, value_float(s), value_int(s)).`,
  );
}

/**
 * Folds Constant nodes, and Identity nodes applied to constants (PyTorch's TrainingMode.PRESERVE export adds
 * those), into the table; returns the nodes that are left to compute, in file order. An Identity whose input
 * is not (yet) constant waits on that tensor, so chains fold in one pass whatever their order in the file.
 */
export function foldConstantNodes(
  nodes: GraphNode[],
  table: ConstantTable,
  maxElements: number,
): GraphNode[] {
  const folded = new Set<GraphNode>();
  const waiting = new Map<string, GraphNode[]>();
  const foldIdentity = (first: GraphNode) => {
    const queue = [first];
    for (let node = queue.pop(); node; node = queue.pop()) {
      const source = node.inputs[0];
      const output = node.outputs[0] ?? '';
      table.sourceOf.set(output, constantSource(table, source));
      const float = table.floats.get(source);
      if (float) {
        table.floats.set(output, float);
        table.floatShapes.set(output, table.floatShapes.get(source) as number[]);
      }
      const ints = table.ints.get(source);
      if (ints) table.ints.set(output, ints);
      const other = table.others.get(source);
      if (other) table.others.set(output, other);
      folded.add(node);
      queue.push(...release(output));
    }
  };
  const release = (tensor: string): GraphNode[] => {
    const list = waiting.get(tensor) ?? [];
    waiting.delete(tensor);
    return list;
  };
  for (const node of nodes) {
    const output = node.outputs[0] ?? '';
    if (node.opType === 'Constant') {
      addTensor(table, output, constantNodeValue(node), `Constant node '${node.name}'`, maxElements);
      folded.add(node);
      for (const identity of release(output)) foldIdentity(identity);
    } else if (node.opType === 'Identity') {
      const input = node.inputs[0] ?? '';
      if (isConstant(table, input)) foldIdentity(node);
      else {
        const list = waiting.get(input);
        if (list) list.push(node);
        else waiting.set(input, [node]);
      }
    }
  }
  return nodes.filter((node) => !folded.has(node));
}
