/** Typed views of the kernels' linear memory; growing detaches the old buffer, so the views follow it. */
export class WasmHeap {
  f32: Float32Array;
  i32: Int32Array;

  constructor(readonly memory: WebAssembly.Memory) {
    this.f32 = new Float32Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
  }

  /** Makes the memory at least `bytes` long and the views current. */
  reserve(bytes: number): void {
    const memory = this.memory;
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    if (this.f32.buffer !== memory.buffer) {
      this.f32 = new Float32Array(memory.buffer);
      this.i32 = new Int32Array(memory.buffer);
    }
  }
}
