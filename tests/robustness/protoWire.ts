/**
 * A few protobuf wire-format writers for files the ONNX encoder cannot or will not produce: nesting
 * thousands of levels deep, or packed lists far larger than their declared tensor.
 */
export function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 127) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

export function concat(parts: Array<ArrayLike<number>>): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A length-delimited field (sub-message, string, bytes or packed list). */
export function field(number: number, payload: ArrayLike<number>): Uint8Array {
  return concat([varint(number * 8 + 2), varint(payload.length), payload]);
}

export function varintField(number: number, value: number): Uint8Array {
  return concat([varint(number * 8), varint(value)]);
}

export const text = (s: string) => new TextEncoder().encode(s);

/** ModelProto { ir_version: 8, graph } around serialized GraphProto bytes. */
export function modelWithGraph(graph: Uint8Array): Uint8Array {
  return concat([varintField(1, 8), field(7, graph)]);
}

/**
 * A model whose graph holds an If node whose then_branch holds an If node ... `depth` levels deep.
 * Built from the inside out with length prefixes computed once per level (linear in the output size).
 */
export function nestedSubgraphs(depth: number): Uint8Array {
  const prefixes: number[][] = [];
  let size = 0;
  const name = [...text('then_branch')];
  for (let level = 0; level < depth; level++) {
    const attribute = [0x0a, name.length, ...name, 0x32, ...varint(size)]; // name=1, g=6
    const attributeSize = attribute.length + size;
    const node = [0x22, 2, 0x49, 0x66, 0x2a, ...varint(attributeSize)]; // op_type=4 'If', attribute=5
    const nodeSize = node.length + attributeSize;
    const graph = [0x0a, ...varint(nodeSize)]; // node=1
    size = graph.length + nodeSize;
    prefixes.push([...graph, ...node, ...attribute]);
  }
  const parts: Array<ArrayLike<number>> = [[0x08, 8, 0x3a, ...varint(size)]];
  for (let level = depth - 1; level >= 0; level--) parts.push(prefixes[level]);
  return concat(parts);
}

/**
 * A model whose graph input type is a sequence of a sequence of ... `depth` levels deep
 * (ValueInfo.type = TypeProto, TypeProto.sequence_type = 4, Sequence.elem_type = 1).
 */
export function nestedTypes(depth: number): Uint8Array {
  let type: Uint8Array = field(1, field(2, new Uint8Array(0))); // tensor_type { shape {} }
  for (let level = 0; level < depth; level++) type = field(4, field(1, type));
  const input = concat([field(1, text('x')), field(2, type)]);
  return modelWithGraph(field(11, input));
}

/** A graph with one initializer whose packed `fieldNumber` list holds `count` one-byte entries. */
export function packedTensorModel(count: number, fieldNumber: 4 | 5 | 7 | 1, dataType: number): Uint8Array {
  const entryBytes = fieldNumber === 4 ? 4 : 1;
  const packed = new Uint8Array(count * entryBytes).fill(fieldNumber === 4 ? 0 : 1);
  const tensor = concat([
    fieldNumber === 1 ? new Uint8Array(0) : field(1, varint(count)),
    varintField(2, dataType),
    field(8, text('big')),
    field(fieldNumber, packed),
  ]);
  return modelWithGraph(field(5, tensor));
}
