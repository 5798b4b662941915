import { describe, expect, it } from 'vitest';
import { sleb, uleb } from '../../../../src/sim/infer/wasm/assembler';
import { kernelModuleBytes, wasmKernels } from '../../../../src/sim/infer/wasm/kernels';

describe('wasm assembler', () => {
  it('encodes LEB128 like the reference examples', () => {
    expect(uleb(0)).toEqual([0x00]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it('produces a module the engine validates', () => {
    const bytes = kernelModuleBytes();
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    expect(WebAssembly.validate(bytes)).toBe(true);
  });
});

describe('wasm pad and compact kernels', () => {
  const kernels = wasmKernels();
  if (!kernels) throw new Error('WebAssembly SIMD is expected in Node 20');
  const heap = () => new Float32Array(kernels.memory.buffer);

  it('pad writes the image into the interior of a zeroed padded plane', () => {
    heap().fill(0, 0, 256);
    heap().set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 0); // two 2x3 channels at byte 0
    kernels.pad(0, 64 * 4, 2, 2, 3, 1);
    // padded planes 4x5 each
    const expected = [
      0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 8, 9, 0, 0, 10, 11, 12,
      0, 0, 0, 0, 0, 0,
    ];
    expect(Array.from(heap().subarray(64, 64 + 40))).toEqual(expected);
  });

  it('pad copies rows of 16 bytes and more with vectors, the last one ending at the row end', () => {
    for (const W of [4, 5, 7, 9]) {
      const H = 2;
      heap().fill(0, 0, 1024);
      heap().fill(-1, 512, 1024); // the padded target starts dirty outside what pad writes
      const image = Array.from({ length: H * W }, (_, i) => i + 1);
      heap().set(image, 0);
      const Wp = W + 2;
      const target = 512;
      heap().fill(0, target, target + (H + 2) * Wp);
      kernels.pad(0, target * 4, 1, H, W, 1);
      const expected = new Array((H + 2) * Wp).fill(0);
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) expected[(y + 1) * Wp + x + 1] = image[y * W + x];
      expect(Array.from(heap().subarray(target, target + (H + 2) * Wp)), `W=${W}`).toEqual(expected);
      expect(heap()[target + (H + 2) * Wp]).toBe(-1); // nothing written past the padded image
    }
  });

  it('compact handles output rows of 4, 6 and 9 floats', () => {
    for (const Ow of [4, 6, 9]) {
      const Oh = 3;
      const pitch = Ow + 2;
      const columns = Math.ceil((Oh * pitch) / 8) * 8;
      const result = Array.from({ length: 2 * columns }, (_, i) => i);
      heap().set(result, 0);
      heap().fill(-1, 256, 512);
      kernels.compact(0, 256 * 4, 2, Oh, Ow, pitch, columns);
      const expected: number[] = [];
      for (let k = 0; k < 2; k++)
        for (let y = 0; y < Oh; y++) for (let x = 0; x < Ow; x++) expected.push(k * columns + y * pitch + x);
      expect(Array.from(heap().subarray(256, 256 + expected.length)), `Ow=${Ow}`).toEqual(expected);
      expect(heap()[256 + expected.length]).toBe(-1);
    }
  });

  it('compact drops junk columns and the padding of each result row', () => {
    // K = 2 rows of 8 columns; output rows of Ow = 2 at pitch 3 (Oh = 2): junk at columns 2, 5, 6, 7
    const result = [1, 2, -1, 3, 4, -1, -1, -1, 5, 6, -1, 7, 8, -1, -1, -1];
    heap().set(result, 0);
    kernels.compact(0, 32 * 4, 2, 2, 2, 3, 8);
    expect(Array.from(heap().subarray(32, 40))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
