import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import validation from '../../fixtures/validation.json';
import {
  brickBits,
  costFromBits,
  groupCost,
  valueHi,
  valueLo,
  valueWidth,
} from '../../../src/sim/accel/widths';
import { refBits, refGroupCost } from './reference/widthsRef';

const target = (id: string) => {
  const t = validation.targets.find((x) => x.id === id);
  if (!t) throw new Error(`validation target ${id} missing`);
  return t as unknown as { inputs: Record<string, unknown>; expected: Record<string, unknown> };
};

describe('sign-magnitude widths (§1.2, §5)', () => {
  it('microbrick.dstripes: group cost of the micro brick', () => {
    const t = target('microbrick.dstripes');
    const a = t.inputs.a as number[];
    expect(groupCost(a, true)).toBe(t.expected.leadingBitTrue);
    expect(groupCost(a, false)).toBe(t.expected.leadingBitFalse);
  });

  it('hand-computed values', () => {
    expect([valueHi(0), valueLo(0)]).toEqual([0, 16]);
    // 12 = 1100b: bits 2..3; -12 needs the sign bit on top.
    expect([valueLo(12), valueHi(12), valueWidth(12, true), valueWidth(12, false)]).toEqual([2, 3, 4, 2]);
    expect([valueLo(-12), valueHi(-12), valueWidth(-12, true), valueWidth(-12, false)]).toEqual([2, 4, 5, 3]);
    expect([valueWidth(1, true), valueWidth(-1, true), valueWidth(0, true)]).toEqual([1, 2, 0]);
    expect([valueWidth(32767, true), valueWidth(-32767, true), valueWidth(-32767, false)]).toEqual([
      15, 16, 16,
    ]);
    // An all-zero group costs one cycle either way.
    expect([groupCost([0, 0, 0], true), groupCost([0, 0], false), groupCost([], false)]).toEqual([1, 1, 1]);
    expect(groupCost([4, 0, 8], false)).toBe(2);
    expect(groupCost([4, 0, 8], true)).toBe(4);
    expect(costFromBits(3, 16, false)).toBe(1);
  });

  it('matches the bit-string reference', () => {
    const value = fc.integer({ min: -32767, max: 32767 });
    fc.assert(
      fc.property(fc.array(value, { maxLength: 20 }), fc.boolean(), (values, leading) => {
        for (const v of values) {
          const r = refBits(v);
          expect([valueLo(v), valueHi(v)]).toEqual([r.lo, r.hi]);
        }
        expect(groupCost(values, leading)).toBe(refGroupCost(values, leading));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('brickBits folds lanes per (outer, cg, position)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 37 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(4, 16),
        fc.boolean(),
        fc.integer({ min: 1, max: 1e9 }),
        (outer, C, positions, lanes, leading, seed) => {
          const values = new Int32Array(outer * C * positions);
          let s = seed;
          for (let k = 0; k < values.length; k++) {
            s = (s * 1103515245 + 12345) % 2147483648;
            values[k] = (s % 3 === 0 ? 0 : 1) * ((s >> 4) % 2001) - 1000 * (s % 2);
          }
          const bits = brickBits(values, outer, C, positions, lanes, leading);
          for (let o = 0; o < outer; o++)
            for (let cg = 0; cg < C; cg += lanes)
              for (let pos = 0; pos < positions; pos++) {
                const brick: number[] = [];
                for (let c = cg; c < Math.min(cg + lanes, C); c++)
                  brick.push(values[(o * C + c) * positions + pos]);
                expect(bits.cost[(o * bits.cgs + cg / lanes) * positions + pos]).toBe(
                  refGroupCost(brick, leading),
                );
              }
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });
});
