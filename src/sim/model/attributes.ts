import { ModelLoadError, formatShape } from './errors';
import { int64ToNumber, type Int64Like, type OnnxTypes } from './onnxProto';

const utf8 = new TextDecoder();

/** Typed access to one node's attributes, with errors that name the node. */
export class NodeAttributes {
  private readonly byName = new Map<string, OnnxTypes.IAttributeProto>();

  constructor(
    node: OnnxTypes.INodeProto,
    private readonly label: string,
  ) {
    for (const attribute of node.attribute ?? [])
      if (attribute.name) this.byName.set(attribute.name, attribute);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  int(name: string, fallback: number): number {
    const attribute = this.byName.get(name);
    return attribute ? int64ToNumber(attribute.i as Int64Like) : fallback;
  }

  float(name: string, fallback: number): number {
    const attribute = this.byName.get(name);
    return attribute ? (attribute.f ?? 0) : fallback;
  }

  ints(name: string): number[] | undefined {
    const attribute = this.byName.get(name);
    return attribute ? (attribute.ints ?? []).map((v) => int64ToNumber(v as Int64Like)) : undefined;
  }

  floats(name: string): number[] | undefined {
    const attribute = this.byName.get(name);
    return attribute ? [...(attribute.floats ?? [])] : undefined;
  }

  string(name: string, fallback: string): string {
    const attribute = this.byName.get(name);
    return attribute?.s ? utf8.decode(attribute.s) : fallback;
  }

  tensor(name: string): OnnxTypes.ITensorProto | undefined {
    return this.byName.get(name)?.t ?? undefined;
  }

  /** Rejects an attribute whose value we cannot honour, naming it. */
  unsupported(name: string, value: number | string | number[], allowed: string): never {
    const shown = Array.isArray(value) ? formatShape(value) : String(value);
    throw new ModelLoadError(
      'unsupported-op',
      `${this.label}: attribute ${name} = ${shown} is not supported (${allowed}).`,
    );
  }
}
