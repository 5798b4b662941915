import validation from '../../fixtures/validation.json';
import { mulberry32 } from '../../../src/sim/prng';

export interface Target {
  id: string;
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

/** Seeded random sparse codes: each entry non-zero (values 1..7, random sign) with probability `density`. */
export function randomMask(n: number, density: number, seed: number): Int32Array {
  const rng = mulberry32(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (rng() < density) out[i] = (rng() < 0.5 ? -1 : 1) * (1 + Math.floor(rng() * 7));
  }
  return out;
}
