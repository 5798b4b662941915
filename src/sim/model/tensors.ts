import { ModelLoadError, formatShape } from './errors';
import { int64ToNumber, onnx, type Int64Like, type OnnxTypes } from './onnxProto';

const DataType = onnx.TensorProto.DataType;
const EXTERNAL = onnx.TensorProto.DataLocation.EXTERNAL;

const littleEndianPlatform = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function dataTypeName(dataType: number): string {
  return (DataType as unknown as Record<number, string>)[dataType] ?? `type ${dataType}`;
}

export function tensorDims(tensor: OnnxTypes.ITensorProto, what: string): number[] {
  const dims = (tensor.dims ?? []).map((d) => int64ToNumber(d as Int64Like));
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new ModelLoadError('shape-mismatch', `${what} has invalid dimensions ${formatShape(dims)}.`);
  }
  return dims;
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function checkStoredInside(tensor: OnnxTypes.ITensorProto, what: string): void {
  if (tensor.dataLocation === EXTERNAL) {
    throw new ModelLoadError(
      'missing-initializer',
      `${what} keeps its data in an external file, which cannot be loaded here; ` +
        'export the model with all tensors stored inside the .onnx file.',
    );
  }
}

function checkCount(actual: number, expected: number, dims: number[], what: string): void {
  if (actual !== expected) {
    throw new ModelLoadError(
      'shape-mismatch',
      `${what} holds ${actual} values but its dimensions ${formatShape(dims)} need ${expected}.`,
    );
  }
}

function rawFloat32(raw: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  if (littleEndianPlatform) {
    // raw_data may sit at any byte offset inside the file buffer, so copy bytes into an aligned array.
    new Uint8Array(out.buffer).set(raw.subarray(0, count * 4));
  } else {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}

function rawFloat64(raw: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

function checkFinite(values: Float32Array, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      let bad = 0;
      for (let j = i; j < values.length; j++) if (!Number.isFinite(values[j])) bad++;
      throw new ModelLoadError(
        'non-finite',
        `${what} contains ${bad} non-finite value${bad === 1 ? '' : 's'} (first: ${v} at index ${i}).`,
      );
    }
  }
}

/** A FLOAT (or DOUBLE, narrowed) tensor as a fresh, aligned Float32Array; rejects NaN and Infinity. */
export function decodeFloatTensor(
  tensor: OnnxTypes.ITensorProto,
  what: string,
  maxElements: number,
): Float32Array {
  checkStoredInside(tensor, what);
  const dims = tensorDims(tensor, what);
  const count = product(dims);
  if (count > maxElements) {
    throw new ModelLoadError(
      'too-large',
      `${what} has ${count} elements, more than the limit of ${maxElements} (option maxTensorElements).`,
    );
  }
  const raw = tensor.rawData ?? new Uint8Array(0);
  let values: Float32Array;
  if (tensor.dataType === DataType.FLOAT) {
    if (raw.length > 0) {
      checkCount(raw.length / 4, count, dims, what);
      values = rawFloat32(raw, count);
    } else {
      checkCount(tensor.floatData?.length ?? 0, count, dims, what);
      values = Float32Array.from(tensor.floatData ?? []);
    }
  } else if (tensor.dataType === DataType.DOUBLE) {
    if (raw.length > 0) {
      checkCount(raw.length / 8, count, dims, what);
      values = rawFloat64(raw, count);
    } else {
      checkCount(tensor.doubleData?.length ?? 0, count, dims, what);
      values = Float32Array.from(tensor.doubleData ?? []);
    }
  } else {
    throw new ModelLoadError(
      'unsupported-op',
      `${what} has data type ${dataTypeName(tensor.dataType ?? 0)}; only FLOAT (and DOUBLE) weights are supported.`,
    );
  }
  checkFinite(values, what);
  return values;
}

export function isIntegerTensor(tensor: OnnxTypes.ITensorProto): boolean {
  return tensor.dataType === DataType.INT64 || tensor.dataType === DataType.INT32;
}

/** An INT64/INT32 tensor (e.g. a Reshape target) as plain numbers. */
export function decodeIntTensor(tensor: OnnxTypes.ITensorProto, what: string): number[] {
  checkStoredInside(tensor, what);
  const dims = tensorDims(tensor, what);
  const count = product(dims);
  const raw = tensor.rawData ?? new Uint8Array(0);
  const is64 = tensor.dataType === DataType.INT64;
  if (!is64 && tensor.dataType !== DataType.INT32) {
    throw new ModelLoadError(
      'unsupported-op',
      `${what} has data type ${dataTypeName(tensor.dataType ?? 0)} where INT64 is expected.`,
    );
  }
  if (raw.length > 0) {
    const width = is64 ? 8 : 4;
    checkCount(raw.length / width, count, dims, what);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      out.push(
        is64
          ? view.getInt32(i * 8 + 4, true) * 4294967296 + view.getUint32(i * 8, true)
          : view.getInt32(i * 4, true),
      );
    }
    return out;
  }
  const list = is64 ? (tensor.int64Data ?? []) : (tensor.int32Data ?? []);
  checkCount(list.length, count, dims, what);
  return list.map((v) => int64ToNumber(v as Int64Like));
}
