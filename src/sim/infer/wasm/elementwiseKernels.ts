/**
 * Element-wise WebAssembly SIMD kernels over `vectors` f32x4 groups (addresses in bytes):
 * - threshold(src, dst, vectors, thetaBits): dst = src > theta ? src : 0, with theta passed as its float32
 *   bits (an i32x4 splat of the bits is the f32x4 splat of theta); a lane mask, no branches.
 * - add(a, b, dst, vectors): dst = a + b.
 */
import { addTo, countdownFrom, op, seq, type WasmFunction } from './assembler';

export function thresholdKernel(): WasmFunction {
  const [SRC, DST, VECTORS, THETA_BITS] = [0, 1, 2, 3];
  const [VALUE, THETA] = [4, 5]; // v128 locals, right after the parameters
  // prettier-ignore
  const body = seq(
    op.get(THETA_BITS), op.i32x4Splat, op.set(THETA),
    countdownFrom(VECTORS, seq(
      op.get(DST),
      op.get(SRC), op.v128Load(0), op.set(VALUE),
      op.get(VALUE), op.get(VALUE), op.get(THETA), op.f32x4Gt, op.v128And,
      op.v128Store(0),
      addTo(SRC, op.const(16)),
      addTo(DST, op.const(16)),
    )),
  );
  return { name: 'threshold', params: 4, i32Locals: 0, v128Locals: 2, body };
}

export function addKernel(): WasmFunction {
  const [A, B, DST, VECTORS] = [0, 1, 2, 3];
  // prettier-ignore
  const body = countdownFrom(VECTORS, seq(
    op.get(DST),
    op.get(A), op.v128Load(0), op.get(B), op.v128Load(0), op.f32x4Add,
    op.v128Store(0),
    addTo(A, op.const(16)),
    addTo(B, op.const(16)),
    addTo(DST, op.const(16)),
  ));
  return { name: 'add', params: 4, i32Locals: 0, v128Locals: 0, body };
}
