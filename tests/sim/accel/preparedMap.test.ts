/**
 * The shared activation preparation of the grid models read straight from the unpadded input (preparedMap,
 * preparedTerms, preparedMasksAndSums, activationWidths) against the straightforward route: pad, §1.4 via
 * prepareLayer, then per-element tables and window-by-window sums.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activationWidths } from '../../../src/sim/accel/activationWidths';
import { prepareLayer } from '../../../src/sim/accel/grid';
import { preparedMap } from '../../../src/sim/accel/gridParams';
import { preparedMasksAndSums, preparedTerms } from '../../../src/sim/accel/termGrid';
import { brickBits, costFromBits, valueHi, valueLo, valueWidth } from '../../../src/sim/accel/widths';
import type { AccelLayerInput } from '../../../src/sim/accel/types';
import { termCountTable, termMaskTable } from '../../../src/sim/terms';
import { refWidth } from './reference/widthsRef';
import { conv, layerInput, randomCodes } from './reference/synthetic';

/** Conv layers, often with 3 input channels and stride > 1 so that §1.4 applies; signed activations. */
const arbInput: fc.Arbitrary<AccelLayerInput> = fc
  .record({
    C: fc.oneof(fc.constant(3), fc.integer({ min: 1, max: 20 })),
    H: fc.integer({ min: 1, max: 9 }),
    W: fc.integer({ min: 1, max: 9 }),
    K: fc.integer({ min: 1, max: 5 }),
    k: fc.integer({ min: 1, max: 5 }),
    stride: fc.integer({ min: 1, max: 3 }),
    pad: fc.integer({ min: 0, max: 2 }),
    zeros: fc.double({ min: 0, max: 1, noNaN: true }),
    seed: fc.integer({ min: 1, max: 1e9 }),
  })
  .map((r) => {
    const H = Math.max(r.H, r.k);
    const W = Math.max(r.W, r.k);
    const g = { ...conv(r.C, H, r.K, r.k, r.stride, Math.min(r.pad, r.k - 1), W) };
    const act = randomCodes(r.C * H * W, r.zeros, r.seed, 32767, true);
    return layerInput('map', g, act, randomCodes(r.K * r.C * r.k * r.k, 0.3, r.seed + 1, 300, true));
  });

/** The straightforward Σ over every MAC of one filter of f(activation read), padding included. */
function macSum(input: AccelLayerInput, f: (a: number) => number): number {
  const { C, H, W, Kh, Kw, stride, pad } = input.geometry;
  const Oh = Math.floor((H + 2 * pad - Kh) / stride) + 1;
  const Ow = Math.floor((W + 2 * pad - Kw) / stride) + 1;
  let sum = 0;
  for (let oh = 0; oh < Oh; oh++)
    for (let ow = 0; ow < Ow; ow++)
      for (let c = 0; c < C; c++)
        for (let i = 0; i < Kh; i++)
          for (let j = 0; j < Kw; j++) {
            const h = stride * oh + i - pad;
            const w = stride * ow + j - pad;
            sum += f(h < 0 || h >= H || w < 0 || w >= W ? 0 : input.act[(c * H + h) * W + w]);
          }
  return sum;
}

describe('activations read through preparedMap', () => {
  it('preparedMap has prepareLayer’s shape and weights', () => {
    fc.assert(
      fc.property(arbInput, fc.boolean(), (input, s2d) => {
        const { act, ...shape } = prepareLayer(input, s2d);
        const { p } = preparedMap(input, s2d);
        expect(act.length).toBe(p.C * p.Nh * p.Nw);
        expect({ ...p, wgt: Array.from(p.wgt) }).toEqual({ ...shape, wgt: Array.from(shape.wgt) });
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('preparedTerms / preparedMasksAndSums equal the tables of the prepared tensor, position-major', () => {
    fc.assert(
      fc.property(arbInput, fc.boolean(), fc.constantFrom(1, 3, 4, 16), (input, s2d, lanes) => {
        const prepared = prepareLayer(input, s2d);
        const counts = termCountTable('boothLike');
        const masks = termMaskTable('naf');
        const { cPad, terms } = preparedTerms(input, s2d, lanes, counts, Uint8Array);
        const both = preparedMasksAndSums(input, s2d, lanes, masks, counts);
        expect(cPad).toBe(Math.ceil(prepared.C / lanes) * lanes);
        const plane = prepared.Nh * prepared.Nw;
        for (let x = 0; x < plane; x++)
          for (let c = 0; c < cPad; c++) {
            const a = c < prepared.C ? Math.abs(prepared.act[c * plane + x]) : 0;
            expect(terms[x * cPad + c]).toBe(counts[a]);
            expect(both.terms[x * cPad + c]).toBe(masks[a]);
          }
        expect(both.sums.terms).toBe(macSum(input, (a) => counts[Math.abs(a)]));
        expect(both.sums.zeroUses).toBe(macSum(input, (a) => (a === 0 ? 1 : 0)));
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('activationWidths: brickBits of the prepared tensor and Σ_MACs of each width rule', () => {
    fc.assert(
      fc.property(arbInput, fc.boolean(), fc.constantFrom(1, 4, 16), (input, s2d, lanes) => {
        const prepared = prepareLayer(input, s2d);
        const plane = prepared.Nh * prepared.Nw;
        const ref = brickBits(prepared.act, 1, prepared.C, plane, lanes, true);
        const w = activationWidths(input, s2d, lanes);
        expect(Array.from(w.spans.maxHi)).toEqual(Array.from(ref.maxHi));
        expect(Array.from(w.spans.minLo)).toEqual(Array.from(ref.minLo));
        expect(w.coveredLeading).toBe(macSum(input, (a) => refWidth(a, true)));
        expect(w.coveredBoth).toBe(macSum(input, (a) => refWidth(a, false)));
        // Shared per layer: the same object for the same activations, lanes and transform.
        expect(activationWidths(input, s2d, lanes)).toBe(w);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('branch-free valueWidth keeps its definition over all int32 (costFromBits of valueHi / valueLo)', () => {
    const values = [0, 1, -1, 96, -96, 2 ** 15, -(2 ** 15), 2 ** 30, -(2 ** 30), 2 ** 31 - 1, -(2 ** 31)];
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (v) => void values.push(v)),
      {
        seed: 42,
        numRuns: 500,
      },
    );
    for (const v of values)
      for (const leading of [true, false])
        expect(valueWidth(v, leading), `${v}`).toBe(
          v === 0 ? 0 : costFromBits(valueHi(v), valueLo(v), leading),
        );
  });
});
