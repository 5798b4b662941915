import { addTensors, threshold } from './ops';
import type { WasmKernels } from './wasm/kernels';

/** The element-wise steps that run on every activation: ReLU/threshold and the residual addition. */
export interface Elementwise {
  threshold(src: Float32Array, dst: Float32Array, length: number, theta: number): void;
  add(a: Float32Array, b: Float32Array, dst: Float32Array, length: number): void;
}

export const jsElementwise: Elementwise = { threshold, add: addTensors };

const bits = new Int32Array(1);
const asFloat = new Float32Array(bits.buffer);

/**
 * The float32 bits of the largest float32 t <= theta: for every float32 v, v > theta exactly when v > t, so the
 * float32 comparison of the kernel agrees with the float64 one of the JavaScript version.
 */
export function float32Below(theta: number): number {
  asFloat[0] = theta;
  if (asFloat[0] > theta) bits[0] += bits[0] < 0 ? 1 : -1;
  return bits[0];
}

/**
 * The same steps with the WebAssembly SIMD kernels, for tensors that live in the kernels' memory (the engine
 * keeps its activations there; copying them in and out would cost more than the JavaScript loop). Others,
 * such as the caller's input images, take the JavaScript version, and so do the last length % 4 values.
 */
export class WasmElementwise implements Elementwise {
  constructor(private readonly kernels: WasmKernels) {}

  private inMemory(...views: Float32Array[]): boolean {
    return views.every((v) => v.buffer === this.kernels.memory.buffer);
  }

  threshold(src: Float32Array, dst: Float32Array, length: number, theta: number): void {
    if (!this.inMemory(src, dst)) return threshold(src, dst, length, theta);
    const vectors = length >> 2;
    this.kernels.threshold(src.byteOffset, dst.byteOffset, vectors, float32Below(theta));
    const done = 4 * vectors;
    threshold(src.subarray(done), dst.subarray(done), length - done, theta);
  }

  add(a: Float32Array, b: Float32Array, dst: Float32Array, length: number): void {
    if (!this.inMemory(a, b, dst)) return addTensors(a, b, dst, length);
    const vectors = length >> 2;
    this.kernels.add(a.byteOffset, b.byteOffset, dst.byteOffset, vectors);
    const done = 4 * vectors;
    addTensors(a.subarray(done), b.subarray(done), dst.subarray(done), length - done);
  }
}
