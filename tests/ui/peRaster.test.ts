import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { drawCycle, packColour, peRaster, type PeRaster } from '../../src/ui/lib/peRaster';

const COLOURS = [11, 22, 33, 44];
const BACKGROUND = 99;

/** Independent reference: the colour of each pixel, found by scanning every rectangle (last unit wins). */
function naiveImage(r: PeRaster, states: Uint8Array, base: number): Uint32Array {
  const out = new Uint32Array(r.width * r.height);
  for (let y = 0; y < r.height; y++)
    for (let x = 0; x < r.width; x++) {
      let c = 0;
      for (let pe = 0; pe < r.peRects.length / 4; pe++) {
        const [x0, y0, x1, y1] = r.peRects.subarray(pe * 4, pe * 4 + 4);
        if (x >= x0 && x < x1 && y >= y0 && y < y1) c = BACKGROUND;
      }
      for (let u = 0; u < r.units; u++) {
        const [x0, y0, x1, y1] = r.unitRects.subarray(u * 4, u * 4 + 4);
        if (x >= x0 && x < x1 && y >= y0 && y < y1) c = COLOURS[states[base + u] & 3];
      }
      out[y * r.width + x] = c;
    }
  return out;
}

describe('peRaster', () => {
  it('lays out a hand-checked 1×2 grid of 4-unit PEs', () => {
    // cell 10, gap 2: PE squares of 8 px. Units in a 2×2 layout split pixels 1..7 at 1 + floor(7k/2) = 1, 4, 8;
    // each span gives its last pixel to the gap: x (and y) in [1,3) and [4,7), pixels 0, 3 and 7 stay grey.
    const r = peRaster(1, 2, 4, 10, 2);
    expect([r.width, r.height, r.units]).toEqual([20, 10, 8]);
    expect(Array.from(r.peRects)).toEqual([0, 0, 8, 8, 10, 0, 18, 8]);
    expect(Array.from(r.unitRects.subarray(0, 16))).toEqual([1, 1, 3, 3, 4, 1, 7, 3, 1, 4, 3, 7, 4, 4, 7, 7]);
    expect(Array.from(r.unitRects.subarray(16, 20))).toEqual([11, 1, 13, 3]);
  });

  it('keeps units inside their PE and apart from each other when there is room', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 30 }),
        (rows, cols, units, extra) => {
          const cell = 2 * Math.ceil(Math.sqrt(units)) + 4 + extra; // room for a 1-px gap around each unit
          const r = peRaster(rows, cols, units, cell, 3);
          for (let u = 0; u < r.units; u++) {
            const pe = Math.floor(u / units);
            const [x0, y0, x1, y1] = r.unitRects.subarray(u * 4, u * 4 + 4);
            const [px0, py0, px1, py1] = r.peRects.subarray(pe * 4, pe * 4 + 4);
            expect(x1 > x0 && y1 > y0).toBe(true);
            expect(x0 > px0 && y0 > py0 && x1 < px1 && y1 < py1).toBe(true);
            for (let v = pe * units; v < u; v++) {
              const [a0, b0, a1, b1] = r.unitRects.subarray(v * 4, v * 4 + 4);
              expect(x1 <= a0 || a1 <= x0 || y1 <= b0 || b1 <= y0).toBe(true);
            }
          }
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  it('draws any sequence of cycles exactly like a full redraw, and marks every changed pixel dirty', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 6, max: 14 }),
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 400 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        (rows, cols, units, cell, noise, order) => {
          const r = peRaster(rows, cols, units, cell, 2);
          const cycles = 4;
          const states = Uint8Array.from({ length: cycles * r.units }, (_, i) => noise[i % noise.length] ^ i);
          const out = new Uint32Array(r.width * r.height);
          const drawn = new Uint8Array(r.units);
          drawCycle(r, states, 0, COLOURS, BACKGROUND, drawn, out, true);
          expect(out).toEqual(naiveImage(r, states, 0));
          for (const step of order) {
            const t = step % cycles;
            const before = out.slice();
            const dirty = drawCycle(r, states, t * r.units, COLOURS, BACKGROUND, drawn, out, false);
            expect(out).toEqual(naiveImage(r, states, t * r.units));
            for (let p = 0; p < out.length; p++) {
              if (out[p] === before[p]) continue;
              const x = p % r.width;
              const y = Math.floor(p / r.width);
              expect(dirty).not.toBeNull();
              const [x0, y0, x1, y1] = dirty!;
              expect(x >= x0 && x < x1 && y >= y0 && y < y1).toBe(true);
            }
          }
        },
      ),
      { seed: 42, numRuns: 80 },
    );
  });

  it('packs colours as RGBA bytes in memory order', () => {
    const word = new Uint32Array([packColour('#0072B2')]);
    expect(Array.from(new Uint8Array(word.buffer))).toEqual([0x00, 0x72, 0xb2, 255]);
  });
});
