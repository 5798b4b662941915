/**
 * Just enough of a WebAssembly binary writer for the inference kernels: the project ships the kernels as
 * code that emits their bytes, so it needs no wasm toolchain. Instruction encodings follow the WebAssembly
 * core specification 2.0 (SIMD and bulk-memory instructions included).
 */

export const I32 = 0x7f;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** Signed LEB128 (i32 constants). */
export function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** Instructions; memory operands use alignment hint 0 (any alignment) unless noted. */
export const op = {
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  tee: (local: number) => [0x22, ...uleb(local)],
  const: (value: number) => [0x41, ...sleb(value)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  shl: [0x74],
  eqz: [0x45],
  geS: [0x4e],
  ltS: [0x48],
  gtS: [0x4a],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  /** i32.load, 4-byte aligned */
  loadI32: [0x28, 0x02, 0x00],
  /** i32.load at a constant byte offset, 4-byte aligned */
  loadI32At: (offset: number) => [0x28, 0x02, ...uleb(offset)],
  /** memory.copy (dest, src, length) */
  memoryCopy: [0xfc, ...uleb(10), 0x00, 0x00],
  v128Load: (offset: number) => [0xfd, ...uleb(0x00), 0x00, ...uleb(offset)],
  v128Load32Splat: (offset: number) => [0xfd, ...uleb(0x09), 0x00, ...uleb(offset)],
  v128Store: (offset: number) => [0xfd, ...uleb(0x0b), 0x00, ...uleb(offset)],
  /** v128.const of sixteen zero bytes */
  v128Zero: [0xfd, ...uleb(0x0c), ...new Array<number>(16).fill(0)],
  i32x4Splat: [0xfd, ...uleb(0x11)],
  f32x4Gt: [0xfd, ...uleb(0x44)],
  v128And: [0xfd, ...uleb(0x4e)],
  f32x4Add: [0xfd, ...uleb(0xe4)],
  f32x4Sub: [0xfd, ...uleb(0xe5)],
  f32x4Mul: [0xfd, ...uleb(0xe6)],
};

export const seq = (...parts: number[][]): number[] => parts.flat();

/** local += amount */
export const addTo = (local: number, amount: number[]): number[] =>
  seq(op.get(local), amount, op.add, op.set(local));

/** do { body } while (--counter !== 0), for counter >= 1 */
export const countdown = (counter: number, body: number[]): number[] =>
  seq(op.loop, body, op.get(counter), op.const(1), op.sub, op.tee(counter), op.brIf(0), op.end);

/** if (counter !== 0) countdown(counter, body) */
export const countdownFrom = (counter: number, body: number[]): number[] =>
  seq(op.block, op.get(counter), op.eqz, op.brIf(0), countdown(counter, body), op.end);

export interface WasmFunction {
  name: string;
  /** All parameters are i32. */
  params: number;
  i32Locals: number;
  v128Locals: number;
  body: number[];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function utf8Name(name: string): number[] {
  return [...uleb(name.length), ...Array.from(name, (c) => c.charCodeAt(0))];
}

/** A module exporting its memory (1 page to start, growable) as "memory" and every function by name. */
export function assembleModule(functions: WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...uleb(f.params), ...new Array<number>(f.params).fill(I32), 0]);
  const bodies = functions.map((f) => {
    const locals = vector([
      [...uleb(f.i32Locals), I32],
      [...uleb(f.v128Locals), V128],
    ]);
    const code = [...locals, ...f.body, ...op.end];
    return [...uleb(code.length), ...code];
  });
  const exports = [
    [...utf8Name('memory'), 0x02, 0],
    ...functions.map((f, index) => [...utf8Name(f.name), 0x00, ...uleb(index)]),
  ];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(3, vector(functions.map((_, index) => uleb(index)))),
    ...section(5, vector([[0x00, 1]])),
    ...section(7, vector(exports)),
    ...section(10, vector(bodies)),
  ]);
}
