import { ModelLoadError } from './errors';
import type { OnnxTypes } from './onnxProto';

export interface GraphNode {
  proto: OnnxTypes.INodeProto;
  opType: string;
  name: string;
  /** Position in the file, used to keep the file's order wherever the dependencies allow. */
  index: number;
  inputs: string[];
  outputs: string[];
}

export const LAYER_OPS = new Set(['Conv', 'Gemm', 'MatMul']);

/** Node names are unique and non-empty; unnamed conv/FC nodes take their weight tensor's name. */
export function nameNodes(protos: OnnxTypes.INodeProto[]): GraphNode[] {
  const used = new Set<string>();
  return protos.map((proto, index) => {
    const opType = proto.opType ?? '';
    const inputs = [...(proto.input ?? [])];
    const base =
      proto.name || (LAYER_OPS.has(opType) && inputs[1] ? inputs[1] : `${opType || 'node'}_${index}`);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}#${n}`;
    used.add(name);
    return { proto, opType, name, index, inputs, outputs: [...(proto.output ?? [])] };
  });
}

/**
 * Topological order (Kahn's algorithm, smallest file position first). Rejects tensors produced twice,
 * reads of tensors nobody defines, and cycles, naming the node and tensor involved.
 */
export function orderGraph(nodes: GraphNode[], defined: Set<string>): GraphNode[] {
  const producer = new Map<string, GraphNode>();
  for (const node of nodes) {
    for (const output of node.outputs) {
      if (!output) continue;
      const other = producer.get(output);
      if (other) {
        throw new ModelLoadError(
          'invalid-graph',
          `Tensor '${output}' is produced by both node '${other.name}' and node '${node.name}'.`,
        );
      }
      if (defined.has(output)) {
        throw new ModelLoadError(
          'invalid-graph',
          `Node '${node.name}' overwrites '${output}', which is already a graph input or initializer.`,
        );
      }
      producer.set(output, node);
    }
  }
  const consumers = new Map<GraphNode, GraphNode[]>();
  const pending = new Map<GraphNode, number>();
  for (const node of nodes) {
    let count = 0;
    for (const input of node.inputs) {
      if (!input || defined.has(input)) continue;
      const source = producer.get(input);
      if (!source) {
        throw new ModelLoadError(
          'invalid-graph',
          `Node '${node.name}' (${node.opType}) reads tensor '${input}', which no node produces and which is ` +
            'neither a graph input nor an initializer (dangling reference).',
        );
      }
      count++;
      const list = consumers.get(source) ?? [];
      list.push(node);
      consumers.set(source, list);
    }
    pending.set(node, count);
  }
  const ready = nodes.filter((n) => pending.get(n) === 0);
  const ordered: GraphNode[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => b.index - a.index);
    const node = ready.pop() as GraphNode;
    ordered.push(node);
    for (const consumer of consumers.get(node) ?? []) {
      const left = (pending.get(consumer) ?? 0) - 1;
      pending.set(consumer, left);
      if (left === 0) ready.push(consumer);
    }
  }
  if (ordered.length < nodes.length) {
    const stuck = nodes.filter((n) => (pending.get(n) ?? 0) > 0);
    const first = stuck[0];
    const through = first.inputs.find((i) => producer.has(i) && stuck.includes(producer.get(i) as GraphNode));
    throw new ModelLoadError(
      'invalid-graph',
      `The graph has a cycle: node '${first.name}' (${first.opType}) depends on its own output` +
        `${through ? ` through tensor '${through}'` : ''}` +
        `${stuck.length > 1 ? ` (${stuck.length} nodes involved)` : ''}.`,
    );
  }
  return ordered;
}
