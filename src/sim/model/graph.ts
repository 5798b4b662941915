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
  // Where the search for a free `base#n` resumes: a file repeating one name must not cost quadratic time.
  const nextSuffix = new Map<string, number>();
  return protos.map((proto, index) => {
    const opType = proto.opType ?? '';
    const inputs = [...(proto.input ?? [])];
    const base =
      proto.name || (LAYER_OPS.has(opType) && inputs[1] ? inputs[1] : `${opType || 'node'}_${index}`);
    let name = base;
    if (used.has(name)) {
      let n = nextSuffix.get(base) ?? 2;
      while (used.has(`${base}#${n}`)) n++;
      name = `${base}#${n}`;
      nextSuffix.set(base, n + 1);
    }
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
  const ready = new MinHeap<GraphNode>((a, b) => a.index - b.index);
  for (const node of nodes) if (pending.get(node) === 0) ready.push(node);
  const ordered: GraphNode[] = [];
  for (let node = ready.pop(); node; node = ready.pop()) {
    ordered.push(node);
    for (const consumer of consumers.get(node) ?? []) {
      const left = (pending.get(consumer) ?? 0) - 1;
      pending.set(consumer, left);
      if (left === 0) ready.push(consumer);
    }
  }
  if (ordered.length < nodes.length) {
    const stuck = nodes.filter((n) => (pending.get(n) ?? 0) > 0);
    const stuckSet = new Set(stuck);
    const first = stuck[0];
    const through = first.inputs.find((i) => stuckSet.has(producer.get(i) as GraphNode));
    throw new ModelLoadError(
      'invalid-graph',
      `The graph has a cycle: node '${first.name}' (${first.opType}) depends on its own output` +
        `${through ? ` through tensor '${through}'` : ''}` +
        `${stuck.length > 1 ? ` (${stuck.length} nodes involved)` : ''}.`,
    );
  }
  return ordered;
}

/**
 * Binary min-heap: Kahn's algorithm picks the smallest file position among the ready nodes, and a graph of
 * many independent nodes (hostile or just wide) must not make each pick cost a sort.
 */
class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => number) {}

  push(item: T): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (this.before(items[i], items[parent]) >= 0) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      for (let i = 0; ;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && this.before(items[left], items[smallest]) < 0) smallest = left;
        if (right < items.length && this.before(items[right], items[smallest]) < 0) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest], items[i]];
        i = smallest;
      }
    }
    return top;
  }
}
