import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clamp, rha } from '../../../src/sim/quant/rounding';

describe('rha (round half away from zero)', () => {
  it('rounds exact halves away from zero, unlike Math.round', () => {
    expect(rha(2.5)).toBe(3);
    expect(rha(-2.5)).toBe(-3);
    expect(rha(0.5)).toBe(1);
    expect(rha(-0.5)).toBe(-1);
    expect(rha(1.4999999999999998)).toBe(1);
  });

  it('does not round 0.49999999999999994 up (the floor(a + 0.5) trap)', () => {
    expect(rha(0.49999999999999994)).toBe(0);
    expect(rha(-0.49999999999999994)).toBe(0);
  });

  it('never returns -0', () => {
    expect(Object.is(rha(-0.3), 0)).toBe(true);
    expect(Object.is(rha(-0), 0)).toBe(true);
  });

  it('is odd and within half a unit of its input', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        const r = rha(x);
        expect(Number.isInteger(r)).toBe(true);
        expect(Math.abs(x - r)).toBeLessThanOrEqual(0.5);
        expect(rha(-x)).toBe(r === 0 ? 0 : -r);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('clamp', () => {
  it('bounds values', () => {
    expect(clamp(5, -3, 3)).toBe(3);
    expect(clamp(-5, -3, 3)).toBe(-3);
    expect(clamp(1, -3, 3)).toBe(1);
  });
});
