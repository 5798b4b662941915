import { ModelLoadError } from './errors';

/**
 * A walk over the protobuf wire format of an ONNX file that counts what protobufjs would allocate, before
 * protobufjs allocates it. A hostile file can otherwise make the decoder build one JS object per byte
 * (a packed int64 list becomes one number, or one Long, per 1-byte varint) or recurse until the stack
 * overflows (nested subgraphs or sequence types). Malformed wire data ends the walk quietly: the decoder
 * then reports it in its own words (truncated, not ONNX).
 */

export interface PrescanLimits {
  maxTensorElements: number;
  maxNodes: number;
}

/** numpy's own limit on array dimensions; ONNX exporters never come near it. */
export const MAX_RANK = 64;
/** Message nesting allowed in the file; a plain CNN needs 7 levels, each control-flow subgraph adds 3. */
export const MAX_NESTING = 64;
/** Structural entries (messages, names, integers) allowed per allowed graph node. */
export const ENTRIES_PER_NODE = 16;

type Scalar = 'int' | 'f32' | 'f64' | 'str';
type MessageName = keyof typeof SCHEMA;
type FieldKind = Scalar | MessageName;

/** The fields of ONNX messages that protobufjs turns into objects; others are skipped by the decoder too. */
const SCHEMA = {
  Model: {
    2: 'str',
    3: 'str',
    4: 'str',
    6: 'str',
    7: 'Graph',
    8: 'Leaf',
    14: 'Leaf',
    20: 'Training',
    25: 'Function',
  },
  Training: { 1: 'Graph', 2: 'Graph', 3: 'Leaf', 4: 'Leaf' },
  Function: { 1: 'str', 4: 'str', 5: 'str', 6: 'str', 7: 'Node', 8: 'str', 9: 'Leaf', 10: 'str' },
  Graph: {
    1: 'Node',
    2: 'str',
    5: 'Tensor',
    10: 'str',
    11: 'ValueInfo',
    12: 'ValueInfo',
    13: 'ValueInfo',
    14: 'Annotation',
    15: 'Sparse',
  },
  Annotation: { 1: 'str', 2: 'Leaf' },
  Node: { 1: 'str', 2: 'str', 3: 'str', 4: 'str', 5: 'Attribute', 6: 'str', 7: 'str' },
  Attribute: {
    1: 'str',
    4: 'str',
    5: 'Tensor',
    6: 'Graph',
    7: 'f32',
    8: 'int',
    9: 'str',
    10: 'Tensor',
    11: 'Graph',
    13: 'str',
    14: 'Type',
    15: 'Type',
    21: 'str',
    22: 'Sparse',
    23: 'Sparse',
  },
  Tensor: {
    1: 'int',
    3: 'Leaf',
    4: 'f32',
    5: 'int',
    6: 'str',
    7: 'int',
    8: 'str',
    10: 'f64',
    11: 'int',
    12: 'str',
    13: 'Leaf',
  },
  Sparse: { 1: 'Tensor', 2: 'Tensor', 3: 'int' },
  ValueInfo: { 1: 'str', 2: 'Type', 3: 'str' },
  Type: { 1: 'TensorType', 4: 'Sequence', 5: 'Map', 6: 'str', 8: 'TensorType', 9: 'Sequence' },
  TensorType: { 2: 'Shape' },
  Sequence: { 1: 'Type' },
  Map: { 2: 'Type' },
  Shape: { 1: 'Leaf' },
  /** Messages of singular scalar fields only: their cost is bounded by their own bytes. */
  Leaf: {},
} satisfies Record<string, Record<number, string>>;

/** Fields holding tensor values (per tensor or attribute), capped by maxTensorElements. */
const VALUE_FIELDS: Partial<Record<MessageName, Record<number, string>>> = {
  Tensor: {
    4: 'float_data',
    5: 'int32_data',
    6: 'string_data',
    7: 'int64_data',
    10: 'double_data',
    11: 'uint64_data',
  },
  Attribute: { 7: 'floats', 8: 'ints', 9: 'strings', 10: 'tensors', 11: 'graphs' },
  Sparse: { 3: 'dims' },
};

/** Fields holding a shape, capped at MAX_RANK entries. */
const RANK_FIELDS: Partial<Record<MessageName, number>> = { Tensor: 1, Shape: 1, Sparse: 3 };

class Malformed extends Error {}

interface Totals {
  nodes: number;
  /** Everything protobufjs makes one JS value (or Long) of, except float data: messages, strings, integers. */
  entries: number;
}

class WireScanner {
  private readonly totals: Totals = { nodes: 0, entries: 0 };
  private readonly utf8 = new TextDecoder();

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: PrescanLimits,
  ) {}

  run(): void {
    try {
      this.message('Model', 0, this.bytes.length, 1);
    } catch (error) {
      if (!(error instanceof Malformed)) throw error;
    }
  }

  private varint(at: number, end: number): [value: number, next: number] {
    let value = 0;
    let scale = 1;
    for (let i = at; i < end && i < at + 10; i++) {
      const b = this.bytes[i];
      value += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) return [value, i + 1];
    }
    throw new Malformed();
  }

  private text(start: number, end: number): string {
    return this.utf8.decode(this.bytes.subarray(start, Math.min(end, start + 200)));
  }

  private message(type: MessageName, start: number, end: number, depth: number): void {
    if (depth > MAX_NESTING) {
      throw new ModelLoadError(
        'invalid-graph',
        `The model file nests messages more than ${MAX_NESTING} levels deep (subgraphs or types inside ` +
          'each other); no ONNX model of a supported network does that.',
      );
    }
    const fields: Record<number, string> = SCHEMA[type];
    const counts = new Map<number, number>();
    let name = '';
    let pos = start;
    while (pos < end) {
      const [tag, afterTag] = this.varint(pos, end);
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      const kind = fields[field] as FieldKind | undefined;
      let count = 1;
      if (wire === 0) pos = this.varint(afterTag, end)[1];
      else if (wire === 1) pos = afterTag + 8;
      else if (wire === 5) pos = afterTag + 4;
      else if (wire === 2) {
        const [length, dataStart] = this.varint(afterTag, end);
        pos = dataStart + length;
        if (pos > end) throw new Malformed();
        if (kind === 'int') count = this.packedVarints(dataStart, pos);
        else if (kind === 'f32') count = Math.floor(length / 4);
        else if (kind === 'f64') count = Math.floor(length / 8);
        else if (kind && kind !== 'str') this.message(kind, dataStart, pos, depth + 1);
        if ((field === 8 && type === 'Tensor') || (field === 1 && type === 'Attribute'))
          name = this.text(dataStart, pos);
      } else throw new Malformed(); // groups: protobufjs reports them
      if (pos > end) throw new Malformed();
      if (!kind) continue;
      counts.set(field, (counts.get(field) ?? 0) + count);
      if (kind !== 'f32' && kind !== 'f64') this.totals.entries += count;
    }
    this.check(type, counts, name);
  }

  private packedVarints(start: number, end: number): number {
    let count = 0;
    for (let i = start; i < end; i++) if (this.bytes[i] < 0x80) count++;
    return count;
  }

  private check(type: MessageName, counts: Map<number, number>, name: string): void {
    const { maxTensorElements, maxNodes } = this.limits;
    const what = `${type === 'Attribute' ? 'Attribute' : 'Tensor'}${name ? ` '${name}'` : ''}`;
    for (const [field, label] of Object.entries(VALUE_FIELDS[type] ?? {})) {
      const n = counts.get(Number(field)) ?? 0;
      if (n > maxTensorElements) {
        throw new ModelLoadError(
          'too-large',
          `${what} stores ${n} values in ${label}, more than the limit of ${maxTensorElements} (option maxTensorElements).`,
        );
      }
    }
    const rankField = RANK_FIELDS[type];
    const rank = rankField === undefined ? 0 : (counts.get(rankField) ?? 0);
    if (rank > MAX_RANK) {
      throw new ModelLoadError(
        'shape-mismatch',
        `${type === 'Shape' ? 'A declared shape' : what} has ${rank} dimensions; at most ${MAX_RANK} are supported.`,
      );
    }
    if (type === 'Node') this.totals.nodes++;
    if (this.totals.nodes > maxNodes) {
      throw new ModelLoadError(
        'too-large',
        `The model has more than ${maxNodes} nodes, the limit (option maxNodes).`,
      );
    }
    if (this.totals.entries > ENTRIES_PER_NODE * maxNodes) {
      throw new ModelLoadError(
        'too-large',
        `The model file holds more than ${ENTRIES_PER_NODE * maxNodes} structural entries (nodes, names, ` +
          `attributes, shapes, integer values), the limit of ${ENTRIES_PER_NODE} per node (option maxNodes).`,
      );
    }
  }
}

/** Throws ModelLoadError when decoding `bytes` would allocate beyond the limits or recurse too deeply. */
export function prescanModel(bytes: Uint8Array, limits: PrescanLimits): void {
  new WireScanner(bytes, limits).run();
}
