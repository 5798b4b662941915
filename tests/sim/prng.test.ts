import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mulberry32 } from '../../src/sim/prng';
import { target } from './quant/helpers';

describe('mulberry32', () => {
  it('reproduces the validation draws exactly', () => {
    const t = target('prng.mulberry32');
    const rng = mulberry32(t.inputs.seed as number);
    const draws = Array.from({ length: t.inputs.draws as number }, () => rng());
    expect(draws).toEqual(t.expected.values);
  });

  it('is deterministic per seed and stays in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        const a = mulberry32(seed);
        const b = mulberry32(seed);
        for (let i = 0; i < 20; i++) {
          const x = a();
          expect(b()).toBe(x);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('treats the seed as unsigned 32-bit', () => {
    expect(mulberry32(-1)()).toBe(mulberry32(2 ** 32 - 1)());
  });
});
