/**
 * Size caps (issue 9): each cap fires before the large allocation it guards, its message names the option
 * to change, and raising the option lets the same file through.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOAD_LIMITS, ModelLoadError, loadOnnxModel, type LoadOptions } from '../../src/sim/model';
import { buildOnnxModel, buildResNet } from '../../src/sim/model/build';
import { DEFAULT_MAX_ELEMENTS, NpyError, readNpy, writeNpy } from '../../src/sim/traces/npy';
import { exportTraceFolder, loadTraceFolder, type TraceLoadOptions } from '../../src/sim/traces/folder';
import { TraceFormatError } from '../../src/sim/traces/params';
import { measureAllocation, MiB, type AllocationReport } from './allocation';
import { packedTensorModel } from './protoWire';

function expectRefused<T>(
  report: AllocationReport<T>,
  errorClass: new (...args: never[]) => Error,
  option: string,
): Error {
  expect('error' in report.outcome, 'the cap did not fire').toBe(true);
  const error = (report.outcome as { error: unknown }).error;
  expect(error).toBeInstanceOf(errorClass);
  expect((error as Error).message).toContain(`option ${option}`);
  return error as Error;
}

const conv = (input: number[], weight: number[], extra: Partial<Parameters<typeof buildOnnxModel>[0]> = {}) =>
  buildOnnxModel({
    inputs: [{ name: 'x', shape: input }],
    outputs: [{ name: 'y' }],
    nodes: [
      {
        opType: 'Conv',
        name: 'conv',
        inputs: ['x', 'w'],
        outputs: ['y'],
        attributes: { pads: [1, 1, 1, 1] },
      },
    ],
    initializers: [
      { name: 'w', dims: weight, values: new Float32Array(weight.reduce((a, b) => a * b, 1)).fill(0.01) },
    ],
    ...extra,
  });

function loadWith(bytes: Uint8Array, options: LoadOptions) {
  return measureAllocation(() => loadOnnxModel(bytes, options));
}

describe('ONNX loader caps (LoadOptions)', () => {
  it('defaults are documented values', () => {
    expect(DEFAULT_LOAD_LIMITS).toEqual({
      maxBytes: 512 * MiB,
      maxMacs: 20e9,
      maxTensorElements: 2 ** 26,
      maxNodes: 100_000,
    });
  });

  it('maxBytes: checked before anything is decoded', () => {
    const bytes = buildResNet({
      seed: 1,
      inputShape: [1, 1, 8, 8],
      stages: 1,
      blocksPerStage: 1,
      widths: [4],
      classes: 2,
    });
    const report = loadWith(bytes, { maxBytes: bytes.length - 1 });
    const error = expectRefused(report, ModelLoadError, 'maxBytes');
    expect((error as ModelLoadError).code).toBe('too-large');
    expect(report.largestTypedArray).toBe(0);
    expect('value' in loadWith(bytes, { maxBytes: bytes.length }).outcome).toBe(true);
  });

  it('maxTensorElements: declared dimensions of 2^31 with four stored values allocate nothing', () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 2, 2] }],
      outputs: [{ name: 'y' }],
      nodes: [{ opType: 'Conv', inputs: ['x', 'w'], outputs: ['y'] }],
      initializers: [{ name: 'w', dims: [2 ** 31, 1, 1, 1], values: [1, 2, 3, 4] }],
    });
    const report = loadWith(bytes, {});
    expect(expectRefused(report, ModelLoadError, 'maxTensorElements').message).toMatch(
      /'w' has 2147483648 elements/,
    );
    expect(report.largestTypedArray).toBeLessThan(1024);
  });

  it('maxTensorElements: a 2-million-float raw_data weight is refused before its Float32Array is made', () => {
    const bytes = conv([1, 2, 4, 4], [1_000_000, 2, 1, 1]);
    const report = loadWith(bytes, { maxTensorElements: 1_000_000 });
    expect(expectRefused(report, ModelLoadError, 'maxTensorElements').message).toMatch(
      /'w' has 2000000 elements/,
    );
    expect(report.largestTypedArray).toBeLessThan(64 * 1024);
    expect(report.bufferGrowth).toBeLessThan(2 * MiB);
  });

  it('maxTensorElements: packed float_data and int64_data lists are refused before the protobuf decoder builds them', () => {
    // Without the pre-scan, 2 million one-byte int64 varints become 2 million JS numbers (or Long objects
    // under Node): 16 MB to 160 MB of heap from a 2 MB file.
    for (const [fieldNumber, dataType, label] of [
      [4, 1, 'float_data'],
      [7, 7, 'int64_data'],
    ] as const) {
      const bytes = packedTensorModel(2_000_000, fieldNumber, dataType);
      const report = loadWith(bytes, { maxTensorElements: 1_000_000 });
      expect(expectRefused(report, ModelLoadError, 'maxTensorElements').message).toContain(
        `2000000 values in ${label}`,
      );
      expect(report.heapGrowth, label).toBeLessThan(8 * MiB);
      expect(report.largestTypedArray, label).toBeLessThan(64 * 1024);
    }
  });

  it('maxTensorElements: an activation or graph input larger than the cap is refused with its name', () => {
    const activation = loadWith(conv([1, 1, 64, 64], [256, 1, 1, 1]), { maxTensorElements: 1_000_000 });
    expect(expectRefused(activation, ModelLoadError, 'maxTensorElements').message).toMatch(
      /Tensor 'y' \(output of Conv node 'conv'\) has 1115136 elements per image/,
    );
    expect(activation.largestTypedArray).toBeLessThan(64 * 1024);
    const input = loadWith(
      buildOnnxModel({
        inputs: [{ name: 'x', shape: [1, 3, 100_000, 100_000] }],
        outputs: [{ name: 'y' }],
        nodes: [{ opType: 'GlobalAveragePool', inputs: ['x'], outputs: ['y'] }],
      }),
      {},
    );
    expect(expectRefused(input, ModelLoadError, 'maxTensorElements').message).toMatch(
      /Graph input 'x' \(3x100000x100000 per image\) is 30000000000 elements/,
    );
    expect(input.largestTypedArray).toBe(0);
  });

  it('maxMacs: the work is refused before anything is sized by it', () => {
    const bytes = conv([1, 64, 64, 64], [64, 64, 3, 3]);
    const report = loadWith(bytes, { maxMacs: 1_000_000 });
    expect(expectRefused(report, ModelLoadError, 'maxMacs').message).toMatch(/151 ?\d* MACs|150994944 MACs/);
    expect(report.largestTypedArray).toBeLessThan(64 * 64 * 9 * 4 + 1024);
    expect('value' in loadWith(bytes, { maxMacs: 200_000_000 }).outcome).toBe(true);
  });

  it('maxNodes: a file of many small nodes is refused before the decoder makes one object per node', () => {
    const count = 20_000;
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 1, 1] }],
      outputs: [{ name: 'y' }],
      nodes: Array.from({ length: count }, (_, i) => ({
        opType: 'Relu',
        inputs: [i ? `t${i - 1}` : 'x'],
        outputs: [i === count - 1 ? 'y' : `t${i}`],
      })),
    });
    const report = loadWith(bytes, { maxNodes: 1000 });
    expect(expectRefused(report, ModelLoadError, 'maxNodes').message).toMatch(/more than 1000 nodes/);
    expect(report.heapGrowth).toBeLessThan(8 * MiB);
    expect('value' in loadWith(bytes, { maxNodes: count }).outcome).toBe(true);
  });

  it('absurd strides and padding are refused at load time (option maxTensorElements), not inside a simulation', () => {
    const strided = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 3, 8, 8] }],
      outputs: [{ name: 'y' }],
      nodes: [
        {
          opType: 'Conv',
          name: 'stem',
          inputs: ['x', 'w'],
          outputs: ['y'],
          attributes: { strides: [100_000, 100_000] },
        },
      ],
      initializers: [{ name: 'w', dims: [4, 3, 1, 1], values: new Float32Array(12).fill(0.1) }],
    });
    const report = loadWith(strided, {});
    expect(expectRefused(report, ModelLoadError, 'maxTensorElements').message).toMatch(
      /'stem': with padding 0 and stride 100000/,
    );
    expect(report.largestTypedArray).toBeLessThan(1024);
  });
});

describe('.npy and trace folder caps', () => {
  it('readNpy maxElements: a declared shape of 2^31 with no data allocates nothing', () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2147483648,), }";
    const bytes = Uint8Array.from([
      0x93,
      0x4e,
      0x55,
      0x4d,
      0x50,
      0x59,
      1,
      0,
      header.length + 1,
      0,
      ...new TextEncoder().encode(`${header}\n`),
    ]);
    const report = measureAllocation(() => readNpy(bytes, { name: 'huge.npy' }));
    expect(expectRefused(report, NpyError, 'maxElements').message).toMatch(
      new RegExp(`huge\\.npy: .*more than ${DEFAULT_MAX_ELEMENTS} elements`),
    );
    expect(report.largestTypedArray).toBe(0);
  });

  it('readNpy maxElements: real data over the cap is refused before its typed array is made', () => {
    const bytes = writeNpy({ data: new Float32Array(300_000), shape: [300, 1000] });
    const report = measureAllocation(() => readNpy(bytes, { name: 'big.npy', maxElements: 100_000 }));
    expectRefused(report, NpyError, 'maxElements');
    expect(report.largestTypedArray).toBe(0);
    expect(readNpy(bytes, { maxElements: 300_000 }).data.length).toBe(300_000);
  });

  it('readNpy maxHeaderBytes: a header declared 4 GiB long is refused from its length field', () => {
    const bytes = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0, 255, 255, 255, 255, 0x7b]);
    const report = measureAllocation(() => readNpy(bytes));
    expectRefused(report, NpyError, 'maxHeaderBytes');
    expect(report.largestTypedArray).toBe(0);
  });

  const layer = (C: number, H: number, K: number, stride = 1, pad = 0) => ({
    name: 'conv1',
    geometry: { kind: 'conv' as const, C, H, W: H, K, Kh: 1, Kw: 1, stride, pad },
    actsFloat: [new Float32Array(C * H * H).fill(0.5)],
    weightsFloat: new Float32Array(K * C).fill(0.25),
    precision: { actMag: 4, actFrac: 4, wgtMag: 1, wgtFrac: 7 },
  });
  const files = (m: Map<string, Uint8Array>) => ({
    list: () => [...m.keys()],
    read: (n: string) => m.get(n) as Uint8Array,
  });
  const loadFolder = (m: Map<string, Uint8Array>, opts: TraceLoadOptions) =>
    measureAllocation(() => loadTraceFolder(files(m), opts));

  it('trace folder maxElements: an activation file over the cap is refused by readNpy, naming the option', () => {
    const folder = exportTraceFolder([layer(4, 64, 2)]);
    const report = loadFolder(folder, { maxElements: 10_000 });
    expect(expectRefused(report, NpyError, 'maxElements').message).toMatch(/act-conv1-0\.npy/);
    expect(report.largestTypedArray).toBeLessThan(64 * 1024);
    expect('value' in loadFolder(folder, { maxElements: 20_000 }).outcome).toBe(true);
  });

  it('trace folder maxElements also bounds the padded / space-to-depth form of a conv layer', () => {
    const folder = exportTraceFolder([layer(3, 4, 2)]);
    folder.set('trace_params.csv', new TextEncoder().encode('conv1,2,1,1,1000000,0\n'));
    const report = loadFolder(folder, {});
    expect(expectRefused(report, TraceFormatError, 'maxElements').message).toMatch(
      /layer 'conv1' .*stride 1000000/,
    );
    expect(report.largestTypedArray).toBeLessThan(64 * 1024);
  });

  it('trace folder maxMacs: the work is refused before the codes are made', () => {
    const folder = exportTraceFolder([layer(64, 32, 512)]); // 64·32·32·512 = 33.5 M MACs from 0.4 MB of files
    const report = loadFolder(folder, { maxMacs: 1_000_000 });
    expect(expectRefused(report, TraceFormatError, 'maxMacs').message).toMatch(/33554432 MACs/);
    expect('value' in loadFolder(folder, { maxMacs: 40_000_000 }).outcome).toBe(true);
  });
});
