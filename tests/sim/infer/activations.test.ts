import { describe, expect, it } from 'vitest';
import { JsActivations, WasmActivations } from '../../../src/sim/infer/activations';

describe('activation stores', () => {
  it('WebAssembly buffers lie after the reserved bytes, 16-byte aligned, without overlapping', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const views = new WasmActivations(memory).views([5, 0, 3, 1000], 100);
    expect(views.map((v) => v.buffer === memory.buffer)).toEqual([true, true, true, true]);
    expect(views.map((v) => v.length)).toEqual([5, 0, 3, 1000]);
    expect(views.map((v) => v.byteOffset)).toEqual([112, 144, 144, 160]);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(160 + 4000);
  });

  it('falls back to plain arrays when the memory cannot grow, keeping the reserved bytes', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    const views = new WasmActivations(memory).views([40000, 10], 70000);
    expect(views.map((v) => v.buffer === memory.buffer)).toEqual([false, false]);
    expect(views.map((v) => v.length)).toEqual([40000, 10]);
    expect(memory.buffer.byteLength).toBe(2 * 65536);
  });

  it('JavaScript buffers are reused as long as they are large enough', () => {
    const store = new JsActivations();
    const [a] = store.views([10]);
    const [b] = store.views([4]);
    expect(b.buffer).toBe(a.buffer);
    const [c] = store.views([11]);
    expect(c.buffer).not.toBe(a.buffer);
  });
});
