import { WasmHeap } from './wasm/heap';

/** Where the engine keeps its activation buffers between steps. */
export interface ActivationStore {
  /**
   * One view of lengths[b] floats per buffer, valid until the next call; the first `reservedBytes` of the
   * kernels' memory stay free for the convolution's own operands.
   */
  views(lengths: readonly number[], reservedBytes: number): Float32Array[];
}

/** Plain arrays, grown as batches grow. */
export class JsActivations implements ActivationStore {
  private readonly buffers: Float32Array[] = [];

  views(lengths: readonly number[]): Float32Array[] {
    return lengths.map((length, b) => {
      let buffer = this.buffers[b];
      if (!buffer || buffer.length < length) buffer = this.buffers[b] = new Float32Array(length);
      return buffer.subarray(0, length);
    });
  }
}

const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/**
 * Buffers inside the WebAssembly kernels' memory, after the reserved scratch, so that the kernels read and
 * write activations in place: copying between JavaScript arrays and that memory costs more than the
 * element-wise steps themselves. The memory is grown once per run, before any view is taken. When it cannot
 * grow that far (a large model and batch), the buffers are plain arrays and the kernels copy their operands.
 */
export class WasmActivations implements ActivationStore {
  private readonly heap: WasmHeap;
  private readonly fallback = new JsActivations();

  constructor(memory: WebAssembly.Memory) {
    this.heap = new WasmHeap(memory);
  }

  views(lengths: readonly number[], reservedBytes: number): Float32Array[] {
    let end = align16(reservedBytes);
    const offsets = lengths.map((length) => {
      const offset = end;
      end = align16(end + length * 4);
      return offset;
    });
    try {
      this.heap.reserve(end);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      this.heap.reserve(reservedBytes);
      return this.fallback.views(lengths);
    }
    const buffer = this.heap.memory.buffer;
    return lengths.map((length, b) => new Float32Array(buffer, offsets[b], length));
  }
}
