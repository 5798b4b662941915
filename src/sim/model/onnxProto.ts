import * as onnxProtoModule from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

/*
 * onnx-proto is CommonJS. Vite and Vitest expose its `onnx` namespace as a named export, while Node's own ESM
 * loader (used by tsx for the CLI and benchmarks) only offers it on the default export, so look in both places.
 */
type OnnxNamespace = typeof OnnxTypes;
const moduleShape = onnxProtoModule as unknown as {
  onnx?: OnnxNamespace;
  default?: { onnx?: OnnxNamespace };
};
const resolved = moduleShape.onnx ?? moduleShape.default?.onnx;
if (!resolved) throw new Error('onnx-proto did not provide its onnx namespace');

export const onnx: OnnxNamespace = resolved;
export type { OnnxTypes };

/** An int64 field as protobufjs 6 hands it over: a number, or a Long when the long package is available. */
export type Int64Like = number | { low: number; high: number; unsigned?: boolean; toNumber?: () => number };

export function int64ToNumber(value: Int64Like | null | undefined): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value.toNumber === 'function') return value.toNumber();
  const high = value.unsigned ? value.high >>> 0 : value.high | 0;
  return high * 4294967296 + (value.low >>> 0);
}
