import { describe, expect, it } from 'vitest';
import {
  binaryBits,
  cgsBits,
  relativeIndexBits,
  relativeIndexPadding,
  ttqBits,
  twnBits,
  uniformBits,
} from '../../../src/sim/quant/storage';

describe('weight storage (accelerators.md §15)', () => {
  it('formulas', () => {
    expect(twnBits(100, 1)).toBe(232);
    expect(twnBits(100, 4)).toBe(200 + 128);
    expect(ttqBits(100)).toBe(264);
    expect(binaryBits(100, 1)).toBe(132);
    expect(uniformBits(100, 4, 2, true)).toBe(400 + 128);
    // ResNet-style conv: K = 64, D = 576, 16×16 blocks, keep 5 of 36 per block row: 20 blocks
    expect(cgsBits(20, 16, 16, 3, 36)).toBe(20 * 256 * 3 + 20 * 6 + 32);
  });

  it('relative-index padding: floor(run / 2^r) fillers per run before a non-zero', () => {
    const x = new Array(40).fill(0);
    x[17] = 1; // run 17, r = 3 (span 8): 2 fillers
    x[18] = 2; // run 0
    x[27] = 3; // run 8: 1 filler; trailing zeros need none
    expect(relativeIndexPadding(x, 3)).toBe(3);
    expect(relativeIndexBits(x, 4, 3, 16)).toBe((3 + 3) * 7 + 16 * 32);
  });
});
