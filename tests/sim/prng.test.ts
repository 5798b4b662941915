import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mulberry32, SeededNormals } from '../../src/sim/prng';
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

/** The closure form the synthetic tensors were first generated with: Box–Muller keeping the sine for later. */
function closureNormals(rng: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = Math.max(rng(), 1e-300);
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

describe('SeededNormals', () => {
  it('draws exactly the closure Box–Muller normals and mulberry32 uniforms, interleaved in call order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }),
        (seed, pattern) => {
          const rng = mulberry32(seed);
          const normal = closureNormals(rng);
          const fast = new SeededNormals(seed);
          for (const uniform of pattern) {
            if (uniform) expect(fast.uniform()).toBe(rng());
            else expect(Object.is(fast.normal(), normal())).toBe(true);
          }
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('gives standard normals: mean about 0, variance about 1', () => {
    const g = new SeededNormals(7);
    let sum = 0;
    let squares = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const x = g.normal();
      sum += x;
      squares += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(squares / n - 1)).toBeLessThan(0.05);
  });
});
