/**
 * The packed GEMM of gemm.ts as a WebAssembly SIMD kernel (f32x4), emitted byte by byte here so the project
 * needs no wasm toolchain. It computes the same panels as gemmPacked, 4 filters x 8 columns per step with
 * float32 accumulators; the caller does columns left over past a multiple of 4 with gemmPacked. Row offsets
 * are in bytes here.
 */

const I32 = 0x7f;
const V128 = 0x7b;

/** Unsigned LEB128. */
function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** Signed LEB128 for i32 constants. */
function sleb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  const: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  shl: [0x74],
  geS: [0x4e],
  gtS: [0x4a],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  load: (offset: number) => [0xfd, 0x00, 0x00, ...uleb(offset)],
  loadI32: [0x28, 0x02, 0x00],
  splat32: (offset: number) => [0xfd, 0x09, 0x00, ...uleb(offset)],
  store: (offset: number) => [0xfd, 0x0b, 0x00, ...uleb(offset)],
  fadd: [0xfd, ...uleb(0xe4)],
  fmul: [0xfd, ...uleb(0xe6)],
};

// Parameters (addresses in bytes): gemm(w, bias, panels, D, col, rowOffsets, outStride, pStart, pEnd, out)
const W = 0, BIAS = 1, PANELS = 2, D = 3, COL = 4, ROW_OFFSETS = 5, OUT_STRIDE = 6, P_START = 7, P_END = 8, OUT = 9;
// i32 locals
const B = 10, PCOL = 11, DLEFT = 12, WI = 13, RI = 14, COL_P = 15, CA = 16, OUT_ROW = 17, PANEL_OUT = 18, O = 19;
const BIAS_AT = 20;
// v128 locals: 8 accumulators, two column vectors, one weight splat
const ACC = 21, C0 = 29, C1 = 30, WV = 31;
const PARAMS = 10;
const I32_LOCALS = 11;
const V128_LOCALS = 11;

const seq = (...parts: number[][]) => parts.flat();
const addTo = (local: number, amount: number[]) => seq(op.get(local), amount, op.add, op.set(local));

/** One column step of `vectors` f32x4 column groups (1 or 2) against a panel of 4 filters. */
function columnStep(vectors: 1 | 2): number[] {
  const init: number[][] = [];
  for (let j = 0; j < 4; j++) {
    for (let v = 0; v < vectors; v++) init.push(seq(op.get(BIAS_AT), op.splat32(j * 4), op.set(ACC + j * vectors + v)));
  }
  // Column address of row d: COL_P + rowOffsets[d], rowOffsets holding byte offsets.
  const inner: number[][] = [op.get(COL_P), op.get(RI), op.loadI32, op.add, op.tee(CA), op.load(0), op.set(C0)];
  if (vectors === 2) inner.push(op.get(CA), op.load(16), op.set(C1));
  for (let j = 0; j < 4; j++) {
    inner.push(op.get(WI), op.splat32(j * 4), op.set(WV));
    for (let v = 0; v < vectors; v++) {
      const acc = ACC + j * vectors + v;
      inner.push(op.get(acc), op.get(WV), op.get(v === 0 ? C0 : C1), op.fmul, op.fadd, op.set(acc));
    }
  }
  const stores: number[][] = [seq(op.get(PANEL_OUT), op.get(PCOL), op.const(2), op.shl, op.add, op.set(O))];
  for (let j = 0; j < 4; j++) {
    for (let v = 0; v < vectors; v++) stores.push(seq(op.get(O), op.get(ACC + j * vectors + v), op.store(v * 16)));
    stores.push(addTo(O, op.get(OUT_ROW)));
  }
  return seq(
    ...init,
    op.get(W), op.get(B), op.get(D), op.mul, op.const(4), op.shl, op.add, op.set(WI),
    op.get(COL), op.get(PCOL), op.const(2), op.shl, op.add, op.set(COL_P),
    op.get(ROW_OFFSETS), op.set(RI),
    op.get(D), op.set(DLEFT),
    op.loop,
    ...inner,
    addTo(WI, op.const(16)),
    addTo(RI, op.const(4)),
    op.get(DLEFT), op.const(1), op.sub, op.tee(DLEFT), op.brIf(0),
    op.end,
    ...stores,
  );
}

function kernelBody(): number[] {
  /** while (p + width <= pEnd) { step; p += width } */
  const columnLoop = (vectors: 1 | 2) =>
    seq(
      op.block, op.loop,
      op.get(PCOL), op.const(4 * vectors), op.add, op.get(P_END), op.gtS, op.brIf(1),
      columnStep(vectors),
      addTo(PCOL, op.const(4 * vectors)),
      op.br(0),
      op.end, op.end,
    );
  return seq(
    op.get(OUT_STRIDE), op.const(2), op.shl, op.set(OUT_ROW),
    op.const(0), op.set(B),
    op.block, op.loop,
    op.get(B), op.get(PANELS), op.geS, op.brIf(1),
    // BIAS_AT = bias + b*16 bytes; PANEL_OUT = out + 4b rows
    op.get(BIAS), op.get(B), op.const(4), op.shl, op.add, op.set(BIAS_AT),
    op.get(OUT), op.get(B), op.const(2), op.shl, op.get(OUT_ROW), op.mul, op.add, op.set(PANEL_OUT),
    op.get(P_START), op.set(PCOL),
    columnLoop(2),
    columnLoop(1),
    addTo(B, op.const(1)),
    op.br(0),
    op.end, op.end,
  );
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
  const body = kernelBody();
  const locals = [2, ...uleb(I32_LOCALS), I32, ...uleb(V128_LOCALS), V128];
  const func = [...locals, ...body, ...op.end];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, PARAMS, ...new Array(PARAMS).fill(I32), 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('gemm'), 0x00, 0]),
    ...section(10, [1, ...uleb(func.length), ...func]),
  ]);
}

export interface WasmGemm {
  memory: WebAssembly.Memory;
  gemm: (
    w: number,
    bias: number,
    panels: number,
    D: number,
    col: number,
    rowOffsets: number,
    outStride: number,
    pStart: number,
    pEnd: number,
    out: number,
  ) => void;
}

let cached: WasmGemm | null | undefined;

/** The SIMD kernel, or null where WebAssembly SIMD is unavailable (the engine then stays in JavaScript). */
export function wasmGemm(): WasmGemm | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    if (typeof WebAssembly === 'undefined') return cached;
    const bytes = moduleBytes();
    if (!WebAssembly.validate(bytes)) return cached;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    cached = instance.exports as unknown as WasmGemm;
  } catch {
    cached = null;
  }
  return cached;
}
