import { describe, expect, it } from 'vitest';
import { convLayout, splitPhases, type ConvShape } from '../../../src/sim/infer/layout';

const shape = (over: Partial<ConvShape>): ConvShape => {
  const s = { C: 1, H: 3, W: 3, K: 1, Kh: 3, Kw: 3, stride: 2, pad: 1, Oh: 0, Ow: 0, ...over };
  s.Oh = Math.floor((s.H + 2 * s.pad - s.Kh) / s.stride) + 1;
  s.Ow = Math.floor((s.W + 2 * s.pad - s.Kw) / s.stride) + 1;
  return s;
};

describe('phase layout of strided convolutions', () => {
  // 3x3 image 1..9, pad 1 -> padded 5x5; stride 2 -> four phases of 3x3 (Hq = Wq = ceil(5/2))
  const s = shape({});
  const layout = convLayout(s);

  it('rows point into the phase of (i mod 2, j mod 2), shifted by (i div 2, j div 2)', () => {
    expect(layout.source).toBe('phases');
    expect([layout.phaseRows, layout.phaseCols, layout.phaseHeight, layout.rowPitch]).toEqual([2, 2, 3, 3]);
    // phase p = 2 (i mod 2) + (j mod 2) starts at 9p
    expect(Array.from(layout.rowOffsets)).toEqual([0, 9, 1, 18, 27, 19, 3, 12, 4]);
    expect(layout.columns).toBe(8); // Oh * Wq = 6, rounded up to 8
    expect(layout.dataLength).toBe(36);
    expect(layout.sourceLength).toBe(36);
  });

  it('splitPhases writes the padded pixels (a + 2y, b + 2x), zero outside', () => {
    const out = new Float32Array(36).fill(-1);
    splitPhases(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), 0, s, layout, out, 0);
    // padded rows: 0 0 0 0 0 / 0 1 2 3 0 / 0 4 5 6 0 / 0 7 8 9 0 / 0 0 0 0 0
    expect(Array.from(out)).toEqual([
      ...[0, 0, 0, 0, 5, 0, 0, 0, 0], // (0, 0): rows 0 2 4, cols 0 2 4
      ...[0, 0, 0, 4, 6, 0, 0, 0, 0], // (0, 1): rows 0 2 4, cols 1 3 (5 is outside)
      ...[0, 2, 0, 0, 8, 0, 0, 0, 0], // (1, 0): rows 1 3, cols 0 2 4
      ...[1, 3, 0, 7, 9, 0, 0, 0, 0], // (1, 1): rows 1 3, cols 1 3
    ]);
  });

  it('stores only the phases some tap uses', () => {
    const oneByOne = convLayout(shape({ C: 2, H: 4, W: 4, Kh: 1, Kw: 1, pad: 0 }));
    expect([oneByOne.phaseRows, oneByOne.phaseCols]).toEqual([1, 1]);
    expect(oneByOne.dataLength).toBe(2 * 2 * 2);
    // a 2x2 image, 1x1 conv stride 2: channel c's single pixel (0, 0) of each 2x2 block
    const out = new Float32Array(8);
    splitPhases(
      Float32Array.from({ length: 32 }, (_, i) => i),
      0,
      shape({ C: 2, H: 4, W: 4, Kh: 1, Kw: 1, pad: 0 }),
      oneByOne,
      out,
      0,
    );
    expect(Array.from(out)).toEqual([0, 2, 8, 10, 16, 18, 24, 26]);
  });

  it('stride 1 is the padded image; a 1x1 conv without padding reads the image itself', () => {
    const padded = convLayout(shape({ stride: 1, H: 4, W: 5 }));
    expect(padded.source).toBe('padded');
    expect(padded.rowPitch).toBe(7);
    expect(Array.from(padded.rowOffsets.subarray(0, 4))).toEqual([0, 1, 2, 7]);
    expect(convLayout(shape({ stride: 1, pad: 0, Kh: 1, Kw: 1, H: 4, W: 4 })).source).toBe('image');
    // 3x3 image: 9 columns are not a multiple of 8, so junk columns are needed and the image is copied
    expect(convLayout(shape({ stride: 1, pad: 0, Kh: 1, Kw: 1 })).source).toBe('padded');
  });
});
