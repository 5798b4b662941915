/**
 * Hostile ONNX models, each with the error the loader must give: the code and what the message must name.
 * Built with src/sim/model/build.ts, or with the raw protobuf writer where the encoder cannot express them.
 */
import fc from 'fast-check';
import { buildOnnxModel, buildResNet, type NodeSpec, type TensorSpec } from '../../src/sim/model/build';
import { onnx } from '../../src/sim/model/onnxProto';
import type { LoadOptions, ModelLoadErrorCode } from '../../src/sim/model';
import { nestedSubgraphs, nestedTypes, packedTensorModel } from './protoWire';

export interface HostileModel {
  family: string;
  bytes: Uint8Array;
  options?: LoadOptions;
  code: ModelLoadErrorCode;
  /** Everything the message must contain (names, numbers, the option to change). */
  mentions: Array<string | RegExp>;
}

export const SEEDS: Array<{ name: string; bytes: Uint8Array }> = [
  {
    name: 'resnet gemm raw',
    bytes: buildResNet({
      seed: 1,
      inputShape: [1, 1, 6, 6],
      stages: 2,
      blocksPerStage: 1,
      widths: [2, 3],
      classes: 3,
    }),
  },
  {
    name: 'resnet matmul typed',
    bytes: buildResNet({
      seed: 2,
      inputShape: [1, 3, 5, 5],
      stages: 2,
      blocksPerStage: 1,
      widths: [3, 4],
      classes: 2,
      head: 'matmul',
      weightEncoding: 'typed',
    }),
  },
  {
    name: 'resnet preserve thresholded',
    bytes: buildResNet({
      seed: 3,
      inputShape: [1, 2, 4, 4],
      stages: 1,
      blocksPerStage: 2,
      widths: [2],
      classes: 2,
      preserveStyle: true,
      thresholdedRelu: 0.1,
    }),
  },
];

/** Names that a message must repeat verbatim: printable, including script-like text. */
const tensorName = fc
  .oneof(
    fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.]{0,11}$/),
    fc.constantFrom(
      '<img src=x onerror=alert(1)>',
      '"><script>x</script>',
      'constructor',
      '__proto__',
      'naïve.weight',
    ),
  )
  .filter((name) => !['x', 'y', 'f', 'g', 'w', 'shape'].includes(name) && !/^t\d+$/.test(name));

const floats = (name: string, dims: number[], fill = 0.5, encoding: 'raw' | 'typed' = 'raw'): TensorSpec => ({
  name,
  dims,
  values: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(fill),
  encoding,
});

const model = (
  nodes: NodeSpec[],
  initializers: TensorSpec[] = [],
  input: number[] = [1, 2, 4, 4],
  output = 'y',
) =>
  buildOnnxModel({ inputs: [{ name: 'x', shape: input }], outputs: [{ name: output }], nodes, initializers });

/** Re-encodes a built model after editing its decoded message (for fields build.ts keeps valid). */
function edit(bytes: Uint8Array, change: (m: ReturnType<typeof onnx.ModelProto.decode>) => void): Uint8Array {
  const decoded = onnx.ModelProto.decode(bytes);
  change(decoded);
  return onnx.ModelProto.encode(decoded).finish();
}

const cycle: fc.Arbitrary<HostileModel> = fc
  .tuple(fc.integer({ min: 1, max: 30 }), tensorName)
  .map(([length, base]) => {
    const names = Array.from({ length }, (_, i) => `${base}_${i}`);
    const nodes: NodeSpec[] = names.map((name, i) => ({
      opType: i === 0 ? 'Add' : 'Relu',
      name,
      inputs: i === 0 ? ['x', `t${length - 1}`] : [`t${i - 1}`],
      outputs: [`t${i}`],
    }));
    nodes.push({ opType: 'Relu', name: 'tail', inputs: [`t${length - 1}`], outputs: ['y'] });
    return {
      family: `cycle of ${length}`,
      bytes: model(nodes),
      code: 'invalid-graph' as const,
      mentions: [/cycle/, new RegExp(`'(${names.map(escape).join('|')}|tail)'`)],
    };
  });

const dangling: fc.Arbitrary<HostileModel> = tensorName.map((ghost) => ({
  family: 'dangling input',
  bytes: model([{ opType: 'Add', name: 'adder', inputs: ['x', `${ghost}_missing`], outputs: ['y'] }]),
  code: 'invalid-graph' as const,
  mentions: [`'${ghost}_missing'`, /dangling/],
}));

const convChannels: fc.Arbitrary<HostileModel> = fc
  .tuple(
    fc.integer({ min: 1, max: 6 }),
    fc.integer({ min: 1, max: 6 }),
    fc.integer({ min: 1, max: 3 }),
    tensorName,
  )
  .filter(([c, cw]) => c !== cw)
  .map(([c, cw, k, w]) => ({
    family: 'conv channels',
    bytes: model(
      [{ opType: 'Conv', name: 'conv', inputs: ['x', w], outputs: ['y'] }],
      [floats(w, [2, cw, k, k])],
      [1, c, 4, 4],
    ),
    code: 'shape-mismatch' as const,
    mentions: [`'${w}'`, `${c} channels`, `[2, ${cw}, ${k}, ${k}]`],
  }));

const gemmWidth: fc.Arbitrary<HostileModel> = fc
  .tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.boolean(), tensorName)
  .filter(([n, m]) => n !== m)
  .map(([n, m, transB, w]) => ({
    family: 'gemm width',
    bytes: model(
      [
        { opType: 'Flatten', name: 'flat', inputs: ['x'], outputs: ['f'], attributes: { axis: 1 } },
        {
          opType: 'Gemm',
          name: 'fc',
          inputs: ['f', w],
          outputs: ['y'],
          attributes: { transB: transB ? 1 : 0 },
        },
      ],
      [floats(w, transB ? [3, m] : [m, 3])],
      [1, n, 1, 1],
    ),
    code: 'shape-mismatch' as const,
    mentions: [`'${w}'`, `[1, ${n}]`],
  }));

const addShapes: fc.Arbitrary<HostileModel> = fc.integer({ min: 2, max: 6 }).map((c) => ({
  family: 'add of different shapes',
  bytes: model(
    [
      { opType: 'GlobalAveragePool', name: 'gap', inputs: ['x'], outputs: ['g'] },
      { opType: 'Add', name: 'sum', inputs: ['x', 'g'], outputs: ['y'] },
    ],
    [],
    [1, c, 3, 3],
  ),
  code: 'shape-mismatch' as const,
  mentions: [`[1, ${c}, 3, 3]`, `[1, ${c}, 1, 1]`, `'sum'`],
}));

const nonFinite: fc.Arbitrary<HostileModel> = fc
  .tuple(
    fc.constantFrom(NaN, Infinity, -Infinity),
    fc.integer({ min: 0, max: 7 }),
    fc.constantFrom<'raw' | 'typed'>('raw', 'typed'),
    tensorName,
  )
  .map(([bad, at, encoding, w]) => {
    const tensor = floats(w, [2, 2, 1, 2], 0.25, encoding);
    (tensor.values as Float32Array)[at] = bad;
    return {
      family: `non-finite weight (${encoding})`,
      bytes: model([{ opType: 'Conv', name: 'conv', inputs: ['x', w], outputs: ['y'] }], [tensor]),
      code: 'non-finite' as const,
      mentions: [`'${w}'`, `index ${at}`, String(bad)],
    };
  });

const hugeDims: fc.Arbitrary<HostileModel> = fc
  .tuple(fc.integer({ min: 31, max: 52 }), fc.integer({ min: 0, max: 3 }))
  .map(([exponent, axis]) => {
    const dims = [2, 2, 1, 1];
    dims[axis] = 2 ** exponent;
    return {
      family: 'dims 2^31+ with tiny data',
      bytes: model(
        [{ opType: 'Conv', name: 'conv', inputs: ['x', 'w'], outputs: ['y'] }],
        [{ name: 'w', dims, values: [1, 2, 3, 4] }],
      ),
      code: 'too-large' as const,
      mentions: [`'w'`, 'maxTensorElements'],
    };
  });

const int64Overflow: fc.Arbitrary<HostileModel> = fc
  .tuple(fc.integer({ min: 0x200000, max: 0x7fffffff }), fc.boolean())
  .map(([high, negative]) => ({
    family: 'int64 dimension beyond 2^53',
    bytes: edit(
      model(
        [{ opType: 'Conv', name: 'conv', inputs: ['x', 'w'], outputs: ['y'] }],
        [floats('w', [2, 2, 1, 1])],
      ),
      (m) => {
        const dims = m.graph?.initializer?.[0].dims as unknown[];
        dims[0] = { low: 5, high: negative ? high | 0x80000000 : high, unsigned: false };
      },
    ),
    code: 'shape-mismatch' as const,
    mentions: [`'w'`, /invalid dimensions/],
  }));

/** Targets that cannot hold the 32 elements of [1, 2, 4, 4]: every known dimension exceeds 32, or one is < -1. */
const absurdReshape: fc.Arbitrary<HostileModel> = fc
  .tuple(
    fc.array(fc.integer({ min: 33, max: 2 ** 52 }), { minLength: 1, maxLength: 5 }),
    fc.constantFrom<number[]>([], [-1], [-1, -1], [-7]),
  )
  .map(([known, extra]) => [...known, ...extra])
  .map((target) => ({
    family: 'reshape to an absurd shape',
    bytes: model(
      [{ opType: 'Reshape', name: 'reshape', inputs: ['x', 'shape'], outputs: ['y'] }],
      [{ name: 'shape', dims: [target.length], values: target, type: 'int64' }],
    ),
    code: 'shape-mismatch' as const,
    mentions: [`'reshape'`, /cannot reshape \[1, 2, 4, 4\]/],
  }));

const unsupported: fc.Arbitrary<HostileModel> = fc
  .stringMatching(/^[A-Z][A-Za-z]{2,10}$/)
  .filter(
    (op) =>
      ![
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
      ].includes(op),
  )
  .map((op) => ({
    family: 'unsupported operator',
    bytes: model([{ opType: op, name: 'weird', inputs: ['x'], outputs: ['y'] }]),
    code: 'unsupported-op' as const,
    mentions: [`'${op}'`, `'weird'`],
  }));

const missingWeights: fc.Arbitrary<HostileModel> = tensorName.map((w) => ({
  family: 'missing initializer',
  bytes: model([{ opType: 'Conv', name: 'conv', inputs: ['x', w], outputs: ['y'] }]),
  code: 'missing-initializer' as const,
  mentions: [`'${w}'`],
}));

const producedTwice: fc.Arbitrary<HostileModel> = tensorName.map((t) => ({
  family: 'tensor produced twice',
  bytes: model([
    { opType: 'Relu', name: 'first', inputs: ['x'], outputs: [t] },
    { opType: 'Relu', name: 'second', inputs: ['x'], outputs: [t] },
    { opType: 'Relu', name: 'out', inputs: [t], outputs: ['y'] },
  ]),
  code: 'invalid-graph' as const,
  mentions: [`'${t}'`, `'first'`, `'second'`],
}));

const tooManyNodes: fc.Arbitrary<HostileModel> = fc.integer({ min: 1, max: 300 }).map((extra) => {
  const count = 100 + extra;
  const nodes: NodeSpec[] = Array.from({ length: count }, (_, i) => ({
    opType: 'Relu',
    inputs: [i ? `t${i - 1}` : 'x'],
    outputs: [i === count - 1 ? 'y' : `t${i}`],
  }));
  return {
    family: 'more nodes than maxNodes',
    bytes: model(nodes),
    options: { maxNodes: 100 },
    code: 'too-large' as const,
    mentions: ['100 nodes', 'maxNodes'],
  };
});

const deepSubgraphs: fc.Arbitrary<HostileModel> = fc.integer({ min: 25, max: 100_000 }).map((depth) => ({
  family: 'subgraphs nested deeply',
  bytes: nestedSubgraphs(depth),
  code: 'invalid-graph' as const,
  mentions: [/nests messages more than 64 levels/],
}));

const deepTypes: fc.Arbitrary<HostileModel> = fc.integer({ min: 40, max: 2000 }).map((depth) => ({
  family: 'types nested deeply',
  bytes: nestedTypes(depth),
  code: 'invalid-graph' as const,
  mentions: [/nests messages more than 64 levels/],
}));

/** Start-group tags of an unknown field, nested: protobufjs's skipType recurses once per level. */
const deepGroups: fc.Arbitrary<HostileModel> = fc.integer({ min: 50_000, max: 500_000 }).map((depth) => {
  const bytes = new Uint8Array(2 + 2 * depth).fill(0x01);
  bytes.set([0x08, 8]);
  for (let i = 0; i < depth; i++) bytes[2 + 2 * i] = 0x83; // field 16, wire type 3
  return {
    family: 'protobuf groups nested deeply',
    bytes,
    code: 'not-onnx' as const,
    mentions: [/nests too deeply/],
  };
});

const packedData: fc.Arbitrary<HostileModel> = fc
  .tuple(
    fc.constantFrom<[4 | 5 | 7, number, string]>(
      [4, 1, 'float_data'],
      [5, 6, 'int32_data'],
      [7, 7, 'int64_data'],
    ),
    fc.integer({ min: 1001, max: 20_000 }),
  )
  .map(([[fieldNumber, dataType, label], count]) => ({
    family: `packed ${label} over maxTensorElements`,
    bytes: packedTensorModel(count, fieldNumber, dataType),
    options: { maxTensorElements: 1000 },
    code: 'too-large' as const,
    mentions: [`'big'`, `${count} values in ${label}`, 'maxTensorElements'],
  }));

const manyDims: fc.Arbitrary<HostileModel> = fc.integer({ min: 65, max: 100_000 }).map((rank) => ({
  family: 'tensor of absurd rank',
  bytes: packedTensorModel(rank, 1, 1),
  code: 'shape-mismatch' as const,
  mentions: [`'big'`, `${rank} dimensions`],
}));

const externalData: fc.Arbitrary<HostileModel> = tensorName.map((w) => ({
  family: 'external data',
  bytes: edit(
    model([{ opType: 'Conv', name: 'conv', inputs: ['x', w], outputs: ['y'] }], [floats(w, [2, 2, 1, 1])]),
    (m) => {
      const tensor = m.graph?.initializer?.[0];
      if (tensor) tensor.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    },
  ),
  code: 'missing-initializer' as const,
  mentions: [`'${w}'`, /external file/],
}));

const hugeInput: fc.Arbitrary<HostileModel> = fc.integer({ min: 14, max: 26 }).map((exponent) => ({
  family: 'huge graph input',
  bytes: model(
    [{ opType: 'GlobalAveragePool', name: 'gap', inputs: ['x'], outputs: ['y'] }],
    [],
    [1, 4, 2 ** exponent, 2 ** exponent],
  ),
  code: 'too-large' as const,
  mentions: [`Graph input 'x'`, 'maxTensorElements'],
}));

const absurdStride: fc.Arbitrary<HostileModel> = fc.integer({ min: 20, max: 52 }).map((exponent) => ({
  family: 'absurd stride or padding',
  bytes: model(
    [
      {
        opType: 'Conv',
        name: 'conv',
        inputs: ['x', 'w'],
        outputs: ['y'],
        attributes: { strides: [2 ** exponent, 2 ** exponent] },
      },
    ],
    [floats('w', [2, 2, 1, 1])],
  ),
  code: 'too-large' as const,
  mentions: [`'conv'`, `stride ${2 ** exponent}`, 'maxTensorElements'],
}));

export const hostileModel: fc.Arbitrary<HostileModel> = fc.oneof(
  cycle,
  dangling,
  convChannels,
  gemmWidth,
  addShapes,
  nonFinite,
  hugeDims,
  int64Overflow,
  absurdReshape,
  unsupported,
  missingWeights,
  producedTwice,
  tooManyNodes,
  deepSubgraphs,
  deepTypes,
  deepGroups,
  packedData,
  manyDims,
  externalData,
  hugeInput,
  absurdStride,
);

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
