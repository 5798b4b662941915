/**
 * WebAssembly kernels of the convolution path (all addresses and offsets in bytes):
 * - gemm: the packed GEMM of ../gemm.ts with f32x4 SIMD, 4 filters x 8 columns per step, float32 accumulators.
 *   Column counts must be multiples of 4 (the layouts of ../layout.ts round them up to 8).
 * - pad: copies an image [C][H][W] into the interior of an already zeroed padded image [C][H+2p][W+2p].
 * - compact: copies K result rows of `columns` (output row y at y*rowPitch) into [K][Oh][Ow].
 * - ternary: the add/subtract kernel of ternary layers (./ternaryKernel.ts).
 * - threshold, add: element-wise kernels (./elementwiseKernels.ts).
 */
import { addTo, assembleModule, countdown, op, seq, type WasmFunction } from './assembler';
import { addKernel, thresholdKernel } from './elementwiseKernels';
import { ternaryKernel } from './ternaryKernel';

function gemm(): WasmFunction {
  // gemm(w, bias, panels, D, col, rowOffsets, outStride, pStart, pEnd, out)
  const [W, BIAS, PANELS, D, COL, ROW_OFFSETS, OUT_STRIDE, P_START, P_END, OUT] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
  ];
  const [B, PCOL, DLEFT, WI, RI, COL_P, CA, OUT_ROW, PANEL_OUT, O, BIAS_AT] = [
    10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
  ];
  const [ACC, C0, C1, WV] = [21, 29, 30, 31]; // 8 accumulators, two column vectors, one weight splat

  /** One step of `vectors` (1 or 2) f32x4 column groups against the 4 filters of panel B. */
  const columnStep = (vectors: 1 | 2): number[] => {
    const accumulator = (j: number, v: number) => ACC + j * vectors + v;
    const init: number[][] = [];
    const multiplyAdd: number[][] = [];
    const stores: number[][] = [];
    for (let j = 0; j < 4; j++) {
      for (let v = 0; v < vectors; v++)
        init.push(seq(op.get(BIAS_AT), op.v128Load32Splat(j * 4), op.set(accumulator(j, v))));
      multiplyAdd.push(seq(op.get(WI), op.v128Load32Splat(j * 4), op.set(WV)));
      for (let v = 0; v < vectors; v++) {
        const acc = accumulator(j, v);
        multiplyAdd.push(
          seq(op.get(acc), op.get(WV), op.get(v === 0 ? C0 : C1), op.f32x4Mul, op.f32x4Add, op.set(acc)),
        );
        stores.push(seq(op.get(O), op.get(acc), op.v128Store(v * 16)));
      }
      stores.push(addTo(O, op.get(OUT_ROW)));
    }
    // Row d of the column matrix starts at COL_P + rowOffsets[d].
    // prettier-ignore
    const loadColumns = seq(
      op.get(COL_P), op.get(RI), op.loadI32, op.add, op.tee(CA), op.v128Load(0), op.set(C0),
      vectors === 2 ? seq(op.get(CA), op.v128Load(16), op.set(C1)) : [],
    );
    // prettier-ignore
    return seq(
      ...init,
      op.get(W), op.get(B), op.get(D), op.mul, op.const(4), op.shl, op.add, op.set(WI),
      op.get(COL), op.get(PCOL), op.const(2), op.shl, op.add, op.set(COL_P),
      op.get(ROW_OFFSETS), op.set(RI),
      op.get(D), op.set(DLEFT),
      countdown(DLEFT, seq(loadColumns, ...multiplyAdd, addTo(WI, op.const(16)), addTo(RI, op.const(4)))),
      op.get(PANEL_OUT), op.get(PCOL), op.const(2), op.shl, op.add, op.set(O),
      ...stores,
    );
  };

  /** while (p + width <= pEnd) { step; p += width } */
  // prettier-ignore
  const columnLoop = (vectors: 1 | 2) => seq(
    op.block, op.loop,
    op.get(PCOL), op.const(4 * vectors), op.add, op.get(P_END), op.gtS, op.brIf(1),
    columnStep(vectors),
    addTo(PCOL, op.const(4 * vectors)),
    op.br(0),
    op.end, op.end,
  );

  // prettier-ignore
  const body = seq(
    op.get(OUT_STRIDE), op.const(2), op.shl, op.set(OUT_ROW),
    op.const(0), op.set(B),
    op.block, op.loop,
    op.get(B), op.get(PANELS), op.geS, op.brIf(1),
    op.get(BIAS), op.get(B), op.const(4), op.shl, op.add, op.set(BIAS_AT),          // bias + 16 b
    op.get(OUT), op.get(B), op.const(2), op.shl, op.get(OUT_ROW), op.mul, op.add, op.set(PANEL_OUT), // row 4b
    op.get(P_START), op.set(PCOL),
    columnLoop(2),
    columnLoop(1),
    addTo(B, op.const(1)),
    op.br(0),
    op.end, op.end,
  );
  return { name: 'gemm', params: 10, i32Locals: 11, v128Locals: 11, body };
}

/**
 * Copies `bytes` bytes (a multiple of 4) from SRC to DST, which do not overlap: for rows of 16 bytes or more,
 * 16-byte vectors, the last one ending exactly at the row's end (it may rewrite bytes the previous one wrote,
 * with the same values); shorter rows take memory.copy. A call of memory.copy per short row cost more than the
 * copying itself.
 */
function copyRow(dst: number, src: number, bytes: number, offset: number): number[] {
  // prettier-ignore
  const vectorCopy = seq(
    op.const(0), op.set(offset),
    op.block, op.loop,
    op.get(offset), op.const(16), op.add, op.get(bytes), op.geS, op.brIf(1),
    op.get(dst), op.get(offset), op.add, op.get(src), op.get(offset), op.add, op.v128Load(0), op.v128Store(0),
    addTo(offset, op.const(16)),
    op.br(0),
    op.end, op.end,
    op.get(dst), op.get(bytes), op.add, op.const(16), op.sub,
    op.get(src), op.get(bytes), op.add, op.const(16), op.sub, op.v128Load(0),
    op.v128Store(0),
  );
  // prettier-ignore
  return seq(
    op.block, op.block,
    op.get(bytes), op.const(16), op.ltS, op.brIf(0),
    vectorCopy,
    op.br(1),
    op.end,
    op.get(dst), op.get(src), op.get(bytes), op.memoryCopy,
    op.end,
  );
}

function pad(): WasmFunction {
  // pad(src, dst, C, H, W, pad): C, H >= 1
  const [SRC, DST, C, H, W, PAD] = [0, 1, 2, 3, 4, 5];
  const [PADDED_ROW, ROW_BYTES, Y, PLANE_GAP, OFFSET] = [6, 7, 8, 9, 10];
  // prettier-ignore
  const body = seq(
    op.get(W), op.get(PAD), op.const(1), op.shl, op.add, op.const(2), op.shl, op.set(PADDED_ROW),
    op.get(W), op.const(2), op.shl, op.set(ROW_BYTES),
    op.get(PAD), op.const(1), op.shl, op.get(PADDED_ROW), op.mul, op.set(PLANE_GAP),
    // first interior element: dst + pad * paddedRow + 4 pad
    op.get(DST), op.get(PAD), op.get(PADDED_ROW), op.mul, op.add, op.get(PAD), op.const(2), op.shl, op.add, op.set(DST),
    countdown(C, seq(
      op.get(H), op.set(Y),
      countdown(Y, seq(
        copyRow(DST, SRC, ROW_BYTES, OFFSET),
        addTo(DST, op.get(PADDED_ROW)),
        addTo(SRC, op.get(ROW_BYTES)),
      )),
      addTo(DST, op.get(PLANE_GAP)),
    )),
  );
  return { name: 'pad', params: 6, i32Locals: 5, v128Locals: 0, body };
}

function compact(): WasmFunction {
  // compact(result, out, K, Oh, Ow, rowPitch, columns): K, Oh >= 1
  const [RESULT, OUT, K, OH, OW, ROW_PITCH, COLUMNS] = [0, 1, 2, 3, 4, 5, 6];
  const [ROW_BYTES, PITCH_BYTES, PLANE_GAP, Y, OFFSET] = [7, 8, 9, 10, 11];
  // prettier-ignore
  const body = seq(
    op.get(OW), op.const(2), op.shl, op.set(ROW_BYTES),
    op.get(ROW_PITCH), op.const(2), op.shl, op.set(PITCH_BYTES),
    op.get(COLUMNS), op.get(OH), op.get(ROW_PITCH), op.mul, op.sub, op.const(2), op.shl, op.set(PLANE_GAP),
    countdown(K, seq(
      op.get(OH), op.set(Y),
      countdown(Y, seq(
        copyRow(OUT, RESULT, ROW_BYTES, OFFSET),
        addTo(OUT, op.get(ROW_BYTES)),
        addTo(RESULT, op.get(PITCH_BYTES)),
      )),
      addTo(RESULT, op.get(PLANE_GAP)),
    )),
  );
  return { name: 'compact', params: 7, i32Locals: 5, v128Locals: 0, body };
}

export interface WasmKernels {
  memory: WebAssembly.Memory;
  gemm(
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
  ): void;
  pad(src: number, dst: number, C: number, H: number, W: number, pad: number): void;
  compact(
    result: number,
    out: number,
    K: number,
    Oh: number,
    Ow: number,
    rowPitch: number,
    columns: number,
  ): void;
  ternary(
    entries: number,
    counts: number,
    coefficients: number,
    bias: number,
    pairs: number,
    col: number,
    outStride: number,
    pStart: number,
    pEnd: number,
    out: number,
  ): void;
  threshold(src: number, dst: number, vectors: number, thetaBits: number): void;
  add(a: number, b: number, dst: number, vectors: number): void;
}

export function kernelModuleBytes(): Uint8Array<ArrayBuffer> {
  return assembleModule([gemm(), pad(), compact(), ternaryKernel(), thresholdKernel(), addKernel()]);
}

let cached: WasmKernels | null | undefined;

/** A fresh instance per call would cost a compile; one shared instance serves every engine in this thread. */
export function wasmKernels(): WasmKernels | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    if (typeof WebAssembly === 'undefined') return cached;
    const bytes = kernelModuleBytes();
    if (!WebAssembly.validate(bytes)) return cached;
    cached = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as WasmKernels;
  } catch {
    cached = null;
  }
  return cached;
}
