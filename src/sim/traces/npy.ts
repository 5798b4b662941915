import { formatHeaderDict, headerFields, NpyHeaderError, parsePyLiteral } from './npyHeader';

/**
 * Reader and writer of NumPy .npy files (format versions 1.0, 2.0 and 3.0), C order only.
 * Format: magic `\x93NUMPY`, major and minor version bytes, the header length (uint16 LE in 1.0, uint32 LE
 * in 2.0/3.0), the header (a Python dict literal, latin-1 in 1.0/2.0 and UTF-8 in 3.0), then the raw data.
 */

export type NpyTypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

export type NpyKind = 'f' | 'i' | 'u' | 'b';
export type NpyByteOrder = '<' | '>' | '|';

export interface NpyDtype {
  kind: NpyKind;
  itemSize: number;
  byteOrder: NpyByteOrder;
}

export interface NpyArray {
  /** The dtype as read; `data` always holds the values in the host's byte order. */
  dtype: NpyDtype;
  /** Normalised descr string of `dtype`, e.g. '<f4', '|u1'. */
  descr: string;
  shape: number[];
  /** Float16 ('f2') files are widened to Float32Array; booleans ('b1') come as Uint8Array of 0/1. */
  data: NpyTypedArray;
  version: 1 | 2 | 3;
}

export interface NpyReadOptions {
  /** File name used in error messages. */
  name?: string;
  /** Largest accepted element count (default 2^28). */
  maxElements?: number;
  /** Largest accepted header length in bytes (default 10,000, numpy's own `max_header_size`). */
  maxHeaderBytes?: number;
}

export const DEFAULT_MAX_ELEMENTS = 2 ** 28;
export const DEFAULT_MAX_HEADER_BYTES = 10_000;
const MAX_DIMS = 64;
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ALIGN = 64; // numpy aligns the data start to 64 bytes

export class NpyError extends Error {}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const SIZES: Record<NpyKind, readonly number[]> = { f: [2, 4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1] };

/** Parses a descr string such as '<f4', '>i8', '|u1'. */
export function parseDescr(descr: string): NpyDtype {
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  if (!m) throw new NpyHeaderError(`unsupported dtype '${descr}'`);
  const [, order, kind, size] = m;
  const itemSize = Number(size);
  if (!(kind in SIZES) || !SIZES[kind as NpyKind].includes(itemSize)) {
    throw new NpyHeaderError(`unsupported dtype '${descr}' (supported: f2 f4 f8, i1-i8, u1-u8, b1)`);
  }
  if (order === '=')
    throw new NpyHeaderError(`dtype '${descr}' has native byte order, which a file cannot state`);
  if (order === '|' && itemSize !== 1)
    throw new NpyHeaderError(`dtype '${descr}' of ${itemSize} bytes has no byte order`);
  return { kind: kind as NpyKind, itemSize, byteOrder: itemSize === 1 ? '|' : (order as NpyByteOrder) };
}

export function formatDescr(dtype: NpyDtype): string {
  return `${dtype.itemSize === 1 ? '|' : dtype.byteOrder}${dtype.kind}${dtype.itemSize}`;
}

function allocate(kind: NpyKind, itemSize: number, n: number): NpyTypedArray {
  if (kind === 'f') return itemSize === 8 ? new Float64Array(n) : new Float32Array(n);
  if (kind === 'b') return new Uint8Array(n);
  if (kind === 'i') {
    if (itemSize === 1) return new Int8Array(n);
    if (itemSize === 2) return new Int16Array(n);
    return itemSize === 4 ? new Int32Array(n) : new BigInt64Array(n);
  }
  if (itemSize === 1) return new Uint8Array(n);
  if (itemSize === 2) return new Uint16Array(n);
  return itemSize === 4 ? new Uint32Array(n) : new BigUint64Array(n);
}

/** Copies `n` items of `size` bytes into `dst`, reversing each item's bytes when the file's order differs. */
function copyItems(src: Uint8Array, dst: Uint8Array, size: number, swap: boolean): void {
  if (!swap || size === 1) {
    dst.set(src);
    return;
  }
  for (let i = 0; i < src.length; i += size)
    for (let b = 0; b < size; b++) dst[i + b] = src[i + size - 1 - b];
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function elementCount(shape: readonly number[], max: number, where: string): number {
  let n = 1;
  for (const d of shape) {
    n *= d;
    if (n > max) {
      throw new NpyError(
        `${where}: shape (${shape.join(', ')}) holds more than ${max} elements, the limit (option maxElements)`,
      );
    }
  }
  return n;
}

/** Reads a .npy file. Errors (NpyError) name the file and the problem. */
export function readNpy(bytes: Uint8Array, opts: NpyReadOptions = {}): NpyArray {
  const where = opts.name ?? '.npy file';
  const maxElements = opts.maxElements ?? DEFAULT_MAX_ELEMENTS;
  const maxHeader = opts.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new NpyError(`${where}: not a .npy file (bad magic; expected \\x93NUMPY)`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throw new NpyError(
      `${where}: unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`,
    );
  }
  const version = major as 1 | 2 | 3;
  const lenBytes = version === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw new NpyError(`${where}: truncated header length`);
  let headerLen = 0;
  for (let b = lenBytes - 1; b >= 0; b--) headerLen = headerLen * 256 + bytes[8 + b];
  if (headerLen > maxHeader) {
    throw new NpyError(
      `${where}: header too large (${headerLen} bytes; limit ${maxHeader}); option maxHeaderBytes raises the limit`,
    );
  }
  const start = 8 + lenBytes;
  const dataStart = start + headerLen;
  if (dataStart > bytes.length) {
    throw new NpyError(
      `${where}: truncated header (declares ${headerLen} bytes, file has ${bytes.length - start})`,
    );
  }
  const headerBytes = bytes.subarray(start, dataStart);
  const text = version === 3 ? new TextDecoder('utf-8').decode(headerBytes) : latin1(headerBytes);

  let descr: string;
  let dtype: NpyDtype;
  let shape: number[];
  try {
    const fields = headerFields(parsePyLiteral(text));
    if (fields.fortranOrder) {
      throw new NpyHeaderError(
        'fortran_order is True; only C-order arrays are supported (save with np.ascontiguousarray)',
      );
    }
    if (fields.shape.length > MAX_DIMS)
      throw new NpyHeaderError(`shape has ${fields.shape.length} dimensions`);
    dtype = parseDescr(fields.descr);
    descr = formatDescr(dtype);
    shape = fields.shape;
  } catch (e) {
    if (e instanceof NpyHeaderError) throw new NpyError(`${where}: ${e.message}`);
    throw e;
  }

  const n = elementCount(shape, maxElements, where);
  const needed = n * dtype.itemSize;
  const available = bytes.length - dataStart;
  if (available < needed) {
    throw new NpyError(
      `${where}: truncated data (shape (${shape.join(', ')}) of ${descr} needs ${needed} bytes, file holds ${available})`,
    );
  }
  if (available > needed)
    throw new NpyError(`${where}: ${available - needed} unexpected bytes after the data`);

  const src = bytes.subarray(dataStart, dataStart + needed);
  const swap = dtype.byteOrder !== '|' && (dtype.byteOrder === '<') !== HOST_LITTLE_ENDIAN;
  let data: NpyTypedArray;
  if (dtype.kind === 'f' && dtype.itemSize === 2) {
    const halves = new Uint16Array(n);
    copyItems(src, new Uint8Array(halves.buffer), 2, swap);
    data = Float32Array.from(halves, halfToFloat);
  } else {
    data = allocate(dtype.kind, dtype.itemSize, n);
    copyItems(src, new Uint8Array(data.buffer), dtype.itemSize, swap);
    if (dtype.kind === 'b' && (data as Uint8Array).some((v) => v > 1)) {
      throw new NpyError(`${where}: boolean data holds values other than 0 and 1`);
    }
  }
  return { dtype, descr, shape, data, version };
}

function dtypeOf(data: NpyTypedArray): { kind: NpyKind; itemSize: number } {
  if (data instanceof Float32Array) return { kind: 'f', itemSize: 4 };
  if (data instanceof Float64Array) return { kind: 'f', itemSize: 8 };
  if (data instanceof Int8Array) return { kind: 'i', itemSize: 1 };
  if (data instanceof Int16Array) return { kind: 'i', itemSize: 2 };
  if (data instanceof Int32Array) return { kind: 'i', itemSize: 4 };
  if (data instanceof BigInt64Array) return { kind: 'i', itemSize: 8 };
  if (data instanceof Uint8Array) return { kind: 'u', itemSize: 1 };
  if (data instanceof Uint16Array) return { kind: 'u', itemSize: 2 };
  if (data instanceof Uint32Array) return { kind: 'u', itemSize: 4 };
  return { kind: 'u', itemSize: 8 };
}

export interface NpyWriteOptions {
  /** Byte order of multi-byte items (default '<'). */
  byteOrder?: '<' | '>';
  /** Format version; default 1.0 unless the header needs more than 65,535 bytes. */
  version?: 1 | 2 | 3;
  /** Write a Uint8Array as booleans ('|b1') instead of '|u1'. */
  bool?: boolean;
}

/** Writes a C-order .npy file, header padded like numpy's (data start aligned to 64 bytes). */
export function writeNpy(
  array: { data: NpyTypedArray; shape: readonly number[] },
  opts: NpyWriteOptions = {},
): Uint8Array {
  const { data, shape } = array;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new NpyError(`writeNpy: invalid dimension ${d}`);
  }
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length)
    throw new NpyError(`writeNpy: shape (${shape.join(', ')}) needs ${n} elements, data has ${data.length}`);
  const base = dtypeOf(data);
  if (opts.bool && !(data instanceof Uint8Array))
    throw new NpyError('writeNpy: booleans must come as a Uint8Array');
  if (opts.bool && data.some((v) => v > 1))
    throw new NpyError('writeNpy: boolean data holds values other than 0 and 1');
  const dtype: NpyDtype = {
    kind: opts.bool ? 'b' : base.kind,
    itemSize: base.itemSize,
    byteOrder: base.itemSize === 1 ? '|' : (opts.byteOrder ?? '<'),
  };
  const dict = formatHeaderDict(formatDescr(dtype), shape);
  const fits = (lenBytes: number) =>
    Math.ceil((8 + lenBytes + dict.length + 1) / ALIGN) * ALIGN - 8 - lenBytes;
  const version = opts.version ?? (fits(2) <= 0xffff ? 1 : 2);
  const lenBytes = version === 1 ? 2 : 4;
  const headerLen = fits(lenBytes);
  if (version === 1 && headerLen > 0xffff)
    throw new NpyError('writeNpy: header does not fit format 1.0; use version 2');
  const header = dict + ' '.repeat(headerLen - dict.length - 1) + '\n';
  const out = new Uint8Array(8 + lenBytes + headerLen + n * dtype.itemSize);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  for (let b = 0, v = headerLen; b < lenBytes; b++, v = Math.floor(v / 256)) out[8 + b] = v % 256;
  // The header is ASCII (descr and digits), so latin-1 and UTF-8 encode it identically.
  for (let i = 0; i < header.length; i++) out[8 + lenBytes + i] = header.charCodeAt(i);
  const swap = dtype.byteOrder !== '|' && (dtype.byteOrder === '<') !== HOST_LITTLE_ENDIAN;
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  copyItems(raw, out.subarray(8 + lenBytes + headerLen), dtype.itemSize, swap);
  return out;
}

/** The array's values as plain numbers (64-bit integers beyond 2^53 lose precision). */
export function npyValues(array: NpyArray): ArrayLike<number> {
  const d = array.data;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array)
    return Float64Array.from(d, (v) => Number(v));
  return d;
}
