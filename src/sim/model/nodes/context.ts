import { NodeAttributes } from '../attributes';
import { ModelLoadError, formatShape } from '../errors';
import { isConstant, type ConstantTable } from '../constants';
import type { GraphNode } from '../graph';
import type { NetworkLayer } from '../types';

/** State shared while nodes are converted in topological order. */
export interface ConvertContext {
  constants: ConstantTable;
  /** Batch-1 shapes of the activation tensors computed so far. */
  shapes: Map<string, number[]>;
  layers: NetworkLayer[];
  maxTensorElements: number;
}

export const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export function label(node: GraphNode): string {
  return `${node.opType} node '${node.name}'`;
}

export function mismatch(node: GraphNode, detail: string): never {
  throw new ModelLoadError('shape-mismatch', `${label(node)}: ${detail}.`);
}

/** Shape of activation input `index`; constants are not accepted where an activation is expected. */
export function activation(node: GraphNode, context: ConvertContext, index = 0): number[] {
  const name = node.inputs[index] ?? '';
  const shape = context.shapes.get(name);
  if (shape) return shape;
  if (isConstant(context.constants, name)) {
    throw new ModelLoadError(
      'unsupported-op',
      `${label(node)}: input '${name}' is a constant; this loader needs a computed activation there.`,
    );
  }
  throw new ModelLoadError('invalid-graph', `${label(node)}: input ${index + 1} is missing.`);
}

export function constantFloat(node: GraphNode, context: ConvertContext, index: number, role: string) {
  const name = node.inputs[index] ?? '';
  const values = context.constants.floats.get(name);
  const shape = context.constants.floatShapes.get(name);
  if (values && shape) return { name, values, shape };
  if (!name) {
    throw new ModelLoadError('missing-initializer', `${label(node)} has no ${role} input.`);
  }
  const other =
    context.constants.others.get(name) ?? (context.constants.ints.has(name) ? 'INT64' : undefined);
  if (other) {
    throw new ModelLoadError(
      'unsupported-op',
      `${label(node)}: ${role} '${name}' has data type ${other}; FLOAT is needed.`,
    );
  }
  const computed = context.shapes.has(name)
    ? ' (it is computed by another node; only constant weights are supported)'
    : '';
  throw new ModelLoadError(
    'missing-initializer',
    `${label(node)} needs initializer '${name}' for its ${role}, which the file does not contain${computed}.`,
  );
}

export function setOutput(node: GraphNode, context: ConvertContext, shape: number[]): string {
  const output = node.outputs[0];
  if (!output) throw new ModelLoadError('invalid-graph', `${label(node)} has no output.`);
  if (shape.some((d) => d < 1)) mismatch(node, `its output would have shape ${formatShape(shape)}`);
  const elements = size(shape);
  if (elements > context.maxTensorElements) {
    throw new ModelLoadError(
      'too-large',
      `Tensor '${output}' (output of ${label(node)}) has ${elements} elements per image, more than the limit of ` +
        `${context.maxTensorElements} (option maxTensorElements).`,
    );
  }
  context.shapes.set(output, shape);
  return output;
}

/** A two-value spatial attribute such as strides; absent means [fallback, fallback]. */
export function pair(attributes: NodeAttributes, name: string, fallback: number): [number, number] {
  const values = attributes.ints(name);
  if (!values) return [fallback, fallback];
  if (values.length !== 2 || values.some((v) => v < 1))
    attributes.unsupported(name, values, 'two positive values expected for a 2-D input');
  return [values[0], values[1]];
}

export function checkNoDilation(attributes: NodeAttributes): void {
  const dilations = attributes.ints('dilations');
  if (dilations && dilations.some((d) => d !== 1))
    attributes.unsupported('dilations', dilations, 'only 1 is supported');
}

/** pads as [top, left, bottom, right]; auto_pad other than NOTSET/VALID is refused. */
export function readPads(attributes: NodeAttributes): [number, number, number, number] {
  const autoPad = attributes.string('auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET' && autoPad !== 'VALID') {
    attributes.unsupported('auto_pad', autoPad, 'use explicit pads');
  }
  const pads = attributes.ints('pads');
  if (!pads || autoPad === 'VALID') return [0, 0, 0, 0];
  if (pads.length !== 4) attributes.unsupported('pads', pads, 'four values expected for a 2-D input');
  if (pads.some((p) => p < 0)) attributes.unsupported('pads', pads, 'negative padding');
  return [pads[0], pads[1], pads[2], pads[3]];
}
