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

  it('compact drops junk columns and the padding of each result row', () => {
    // K = 2 rows of 8 columns; output rows of Ow = 2 at pitch 3 (Oh = 2): junk at columns 2, 5, 6, 7
    const result = [1, 2, -1, 3, 4, -1, -1, -1, 5, 6, -1, 7, 8, -1, -1, -1];
    heap().set(result, 0);
    kernels.compact(0, 32 * 4, 2, 2, 2, 3, 8);
    expect(Array.from(heap().subarray(32, 40))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
