/**
 * EIE (accelerators.md §12): CSC entries counted slice by slice, and the §12.2 cycle loop run literally,
 * one cycle at a time with explicit FIFOs and busy counters.
 */
import type { AccelLayerInput, Params } from '../../../../src/sim/accel/types';
import { paddedView } from './padded';

/** entries[k][j] for an M × Nin row-major matrix (§12.1). */
export function referenceEntries(
  matrix: ArrayLike<number>,
  M: number,
  Nin: number,
  N: number,
  r: number,
): number[][] {
  const entries: number[][] = [];
  for (let k = 0; k < N; k++) {
    entries.push([]);
    for (let j = 0; j < Nin; j++) {
      let prev = -1;
      let count = 0;
      for (let l = 0; l * N + k < M; l++) {
        if (matrix[(l * N + k) * Nin + j] === 0) continue;
        const gap = l - prev - 1;
        count += 1 + Math.floor(gap / 2 ** r);
        prev = l;
      }
      entries[k].push(count);
    }
  }
  return entries;
}

/** The §12.2 loop on the non-zero columns `nz`. */
export function naiveMatvecCycles(entries: number[][], nz: number[], Q: number): number {
  const N = entries.length;
  if (nz.length === 0) return 0;
  const queue: number[][] = entries.map(() => []);
  const busy = new Array<number>(N).fill(0);
  let t = 0;
  let next = 0;
  while (next < nz.length || queue.some((q) => q.length > 0) || busy.some((b) => b > 0)) {
    for (let k = 0; k < N; k++) {
      if (busy[k] === 0 && queue[k].length > 0) busy[k] = Math.max(1, entries[k][queue[k].shift()!]);
      if (busy[k] > 0) busy[k]--;
    }
    if (next < nz.length && queue.every((q) => q.length < Q)) {
      for (const q of queue) q.push(nz[next]);
      next++;
    }
    t++;
  }
  return t;
}

export function matvecBounds(entries: number[][], nz: number[]): { lower: number; upper: number } {
  if (nz.length === 0) return { lower: 0, upper: 0 };
  let lower = 0;
  for (const row of entries)
    lower = Math.max(
      lower,
      nz.reduce((s, j) => s + Math.max(1, row[j]), 0),
    );
  let upper = 0;
  for (const j of nz) upper += Math.max(...entries.map((row) => Math.max(1, row[j])));
  return { lower: 1 + lower, upper: 1 + upper };
}

/** Cycles of a layer: FC as one product, conv lowered per output position (§12.3). */
export function naiveEieCycles(input: AccelLayerInput, params: Params): number {
  const N = (params.pes as number) ?? 64;
  const Q = (params.queueDepth as number) ?? 8;
  const r = (params.relBits as number) ?? 4;
  const v = paddedView(input);
  const D = v.C * v.Kh * v.Kw;
  const entries = referenceEntries(input.wgt, v.K, D, N, r);
  let cycles = 0;
  for (let n = 0; n < v.Oh * v.Ow; n++) {
    const oh = n % v.Oh;
    const ow = Math.floor(n / v.Oh);
    const nz: number[] = [];
    for (let c = 0; c < v.C; c++)
      for (let i = 0; i < v.Kh; i++)
        for (let j = 0; j < v.Kw; j++)
          if (v.a(c, v.s * oh + i, v.s * ow + j) !== 0) nz.push((c * v.Kh + i) * v.Kw + j);
    cycles += naiveMatvecCycles(entries, nz, Q);
  }
  return cycles;
}

/** (input, params) → cycles, for the bench and equality tests (the literal loop is the reference). */
export const eieReferenceCycles = naiveEieCycles;
