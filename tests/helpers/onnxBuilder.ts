/** Test-side ONNX builders: the core builder lives in src/sim/model/build.ts; this adds single-node graphs. */
import { buildOnnxModel, type AttributeValue, type TensorSpec } from '../../src/sim/model/build';

export {
  buildOnnxModel,
  buildResNet,
  tensorProto,
  type AttributeValue,
  type GraphSpec,
  type NodeSpec,
  type ResNetSpec,
  type TensorSpec,
  type ValueSpec,
} from '../../src/sim/model/build';

export interface SingleNodeSpec {
  opType: string;
  /** Shape of the graph input 'x'. */
  inputShape: Array<number | string>;
  attributes?: Record<string, AttributeValue>;
  /** Initializers, fed to the node after 'x' in this order (unless `inputs` says otherwise). */
  initializers?: TensorSpec[];
  /** Full input list of the node; defaults to ['x', ...initializer names]. */
  inputs?: string[];
  nodeName?: string;
}

/** A graph of one node reading 'x' and writing 'y'. */
export function singleNodeModel(spec: SingleNodeSpec): Uint8Array {
  const initializers = spec.initializers ?? [];
  return buildOnnxModel({
    inputs: [{ name: 'x', shape: spec.inputShape }],
    outputs: [{ name: 'y' }],
    initializers,
    nodes: [
      {
        opType: spec.opType,
        name: spec.nodeName ?? `${spec.opType.toLowerCase()}_node`,
        inputs: spec.inputs ?? ['x', ...initializers.map((t) => t.name)],
        outputs: ['y'],
        attributes: spec.attributes,
      },
    ],
  });
}

/** Float tensor spec from plain numbers. */
export function floats(
  name: string,
  dims: number[],
  values: ArrayLike<number>,
  encoding: 'raw' | 'typed' = 'raw',
): TensorSpec {
  return { name, dims, values: Float32Array.from(values as ArrayLike<number>), encoding };
}

/** Seeded uniform values in [-1, 1). */
export function randomValues(rng: () => number, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng() * 2 - 1;
  return out;
}
