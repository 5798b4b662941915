import validation from '../../fixtures/validation.json';
import { mulberry32 } from '../../../src/sim/prng';

export interface Target {
  id: string;
  kind: string;
  inputs: Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  expected: any;
  tolerance: { type: string; value?: number };
}

/** A validation target by id; tests read every published number from here. */
export function target(id: string): Target {
  const t = (validation.targets as unknown as Target[]).find((x) => x.id === id);
  if (!t) throw new Error(`no validation target ${id}`);
  return t;
}

/** Standard normal samples by Box–Muller over the seeded PRNG (independent of the code under test). */
export function gaussianSample(n: number, seed: number, sigma = 1): Float32Array {
  const rng = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = 1 - rng(); // (0, 1]: log never sees 0
    const u2 = rng();
    const r = sigma * Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

export function uniformSample(n: number, seed: number, lo: number, hi: number): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rng());
}

/** Laplacian with scale b (E|W| = b) by inverse CDF. */
export function laplacianSample(n: number, seed: number, b: number): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => {
    const u = rng() - 0.5;
    return -b * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
  });
}

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), enough for 4-digit targets. */
export function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly =
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  return s * (1 - poly * Math.exp(-a * a));
}

export function countZeros(codes: ArrayLike<number>): number {
  let z = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] === 0) z++;
  return z;
}
