/**
 * onnx-proto's static code (generated for protobufjs 6) runs on the protobufjs/minimal that package.json's
 * `overrides` gives it: 7.6.6 or later, past the 2026 decoder advisories (docs/robustness.md). These tests
 * fail if the override is lost and protobufjs 6 comes back, or if 7's runtime reads the 6-era code wrongly.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelLoadError, loadOnnxModel } from '../../../src/sim/model';
import { int64ToNumber, onnx, type Int64Like } from '../../../src/sim/model/onnxProto';
import { buildResNet } from '../../helpers/onnxBuilder';
import { concat, field } from '../../robustness/protoWire';

const requireHere = createRequire(import.meta.url);

/** The protobufjs version that onnx-proto's `require("protobufjs/minimal")` resolves to. */
function protobufjsVersionSeenByOnnxProto(): string {
  const fromOnnxProto = createRequire(requireHere.resolve('onnx-proto'));
  const minimal = fromOnnxProto.resolve('protobufjs/minimal');
  const manifest = JSON.parse(readFileSync(join(dirname(minimal), 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  expect(manifest.name).toBe('protobufjs');
  return manifest.version;
}

/** Varint of a signed 64-bit value, two's complement (10 bytes for negatives), as protoc writes int64. */
function varint64(value: bigint): number[] {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  while (v > 127n) {
    out.push(Number(v & 127n) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

const INT64_CASES: bigint[] = [
  0n,
  1n,
  2n ** 31n - 1n,
  2n ** 31n,
  2n ** 32n - 1n,
  2n ** 32n + 5n,
  2n ** 53n - 1n,
  -1n,
  -(2n ** 31n),
  -(2n ** 32n) - 7n,
  -(2n ** 53n) + 1n,
];

describe('protobufjs runtime under onnx-proto', () => {
  it('is protobufjs 7.6.6 or later (the override in package.json is in effect)', () => {
    const [major, minor, patch] = protobufjsVersionSeenByOnnxProto().split('.').map(Number);
    expect(major).toBeGreaterThanOrEqual(7);
    if (major === 7) expect(minor * 1000 + patch).toBeGreaterThanOrEqual(6 * 1000 + 6);
  });

  it('reads int64 values (dims unpacked and packed, int64_data) across the 32- and 53-bit boundaries', () => {
    const unpacked = INT64_CASES.flatMap((v) => [0x08, ...varint64(v)]); // TensorProto.dims = 1
    const packed = field(7, INT64_CASES.flatMap(varint64)); // TensorProto.int64_data = 7, packed
    const tensor = onnx.TensorProto.decode(concat([unpacked, packed]));
    const expected = INT64_CASES.map(Number);
    expect((tensor.dims ?? []).map((d) => int64ToNumber(d as Int64Like))).toEqual(expected);
    expect((tensor.int64Data ?? []).map((d) => int64ToNumber(d as Int64Like))).toEqual(expected);
  });

  it('reads bytes, packed floats and packed int32 as written', () => {
    const floats = new Float32Array([1.5, -0, Infinity, 3.4e38, 1e-45]);
    const raw = [0, 255, 128, 7];
    const int32 = [-1, 2 ** 31 - 1, -(2 ** 31), 300];
    const bytes = concat([
      field(4, new Uint8Array(floats.buffer)), // float_data, packed
      field(
        5,
        int32.flatMap((v) => varint64(BigInt(v))),
      ), // int32_data, packed (negatives as 10 bytes)
      field(9, raw), // raw_data
    ]);
    const tensor = onnx.TensorProto.decode(bytes);
    expect(tensor.floatData).toEqual([...floats]);
    expect(Object.is(tensor.floatData?.[1], -0)).toBe(true);
    expect(tensor.int32Data).toEqual(int32);
    expect([...(tensor.rawData ?? [])]).toEqual(raw);
  });

  it('refuses groups nested past its recursion limit with an error, not a stack overflow', () => {
    const groups = (depth: number) =>
      concat([
        new Array<number[]>(depth).fill([0x83, 0x01]).flat(),
        new Array<number[]>(depth).fill([0x84, 0x01]).flat(),
      ]);
    const model = buildResNet({
      seed: 1,
      inputShape: [1, 1, 8, 8],
      stages: 1,
      blocksPerStage: 1,
      widths: [4],
      classes: 3,
    });
    // A few nested groups in an unknown field (16) are skipped, as protoc does.
    expect(() => loadOnnxModel(concat([model, groups(20)]))).not.toThrow();
    // protobufjs 6 skipped 1,000 nested groups; 7 stops at 100 levels (GHSA-685m-2w69-288q).
    const deep = concat([model, groups(1_000)]);
    expect(() => onnx.ModelProto.decode(deep)).toThrow(/maximum nesting depth/);
    let error: unknown;
    try {
      loadOnnxModel(deep);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).code).toBe('not-onnx');
    expect((error as ModelLoadError).message).toMatch(/nests too deeply/);
  });
});
