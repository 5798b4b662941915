/**
 * Test-only reference Laconic: a direct transliteration of accelerators.md §7.1–7.3, including the full
 * rows × columns × lanes max per step. Slow on purpose; the bench compares it with src/sim/accel/laconic.ts.
 */
import type { AccelLayerInput, Params } from '../../../../src/sim/accel/types';
import { refPrepare, refWindowGroups } from './layer';
import { refGrid } from './params';
import { refT } from './terms';

/** Laconic cycles of one layer (§7.1 conv, §7.2 FC); laneCost(a, w) = T(a)·T(w). */
export function laconicReferenceCycles(input: AccelLayerInput, params: Params): number {
  const P = refGrid(params);
  const L = refPrepare(input, P.spaceToDepth);
  // Term counts precomputed once per layer (as the spec allows); the max below stays the full one.
  const TA = L.A.map((v) => refT(v, P.encoding));
  const TW = L.W.map((v) => refT(v, P.encoding));
  const Ta = (c: number, h: number, w: number) => TA[(c * L.Nh + h) * L.Nw + w];
  const Tw = (k: number, c: number, i: number, j: number) => TW[((k * L.C + c) * L.Kh + i) * L.Kw + j];
  const setSize = P.rows * P.tiles;
  const K = L.K;
  const C = L.C;

  if (input.geometry.kind === 'fc') {
    const colEnd = Array.from({ length: P.tiles }, () => new Array(P.columns).fill(0));
    const issue = new Array(P.tiles).fill(0);
    let col = 0;
    for (let m = 0; m < K; m += setSize)
      for (let t = 0; t < P.tiles; t++) {
        const f0 = m + t * P.rows;
        for (let cg = 0; cg < C; cg += P.lanes) {
          if (issue[t] < colEnd[t][col]) issue[t] = colEnd[t][col];
          let cost = 0;
          if (f0 < K) {
            cost = 1;
            for (let f = f0; f < Math.min(f0 + P.rows, K); f++)
              for (let l = 0; l < P.lanes && cg + l < C; l++)
                cost = Math.max(cost, Ta(cg + l, 0, 0) * Tw(f, cg + l, 0, 0));
          }
          colEnd[t][col] = issue[t] + cost;
          issue[t]++;
          col = (col + 1) % P.columns;
        }
      }
    let cycles = 0;
    for (let t = 0; t < P.tiles; t++) cycles = Math.max(cycles, issue[t], ...colEnd[t]);
    return cycles;
  }

  const groups = refWindowGroups(L, P.columns);
  let cycles = 0;
  for (let m = 0; m < K; m += setSize)
    for (const G of groups) {
      const stepOf = (f0: number, i: number, j: number, cg: number) => {
        let step = 1;
        for (const n of G)
          for (let f = f0; f < Math.min(f0 + P.rows, K); f++)
            for (let l = 0; l < P.lanes && cg + l < C; l++)
              step = Math.max(step, Ta(cg + l, L.s * n.oh + i, L.s * n.ow + j) * Tw(f, cg + l, i, j));
        return step;
      };
      if (P.tileSync === 'windowGroup') {
        const tileAcc = new Array(P.tiles).fill(0);
        for (let t = 0; t < P.tiles; t++) {
          const f0 = m + t * P.rows;
          if (f0 >= K) continue;
          for (let i = 0; i < L.Kh; i++)
            for (let j = 0; j < L.Kw; j++)
              for (let cg = 0; cg < C; cg += P.lanes) tileAcc[t] += stepOf(f0, i, j, cg);
        }
        cycles += Math.max(...tileAcc);
      } else {
        for (let i = 0; i < L.Kh; i++)
          for (let j = 0; j < L.Kw; j++)
            for (let cg = 0; cg < C; cg += P.lanes) {
              let slowest = 0;
              for (let t = 0; t < P.tiles; t++) {
                const f0 = m + t * P.rows;
                if (f0 < K) slowest = Math.max(slowest, stepOf(f0, i, j, cg));
              }
              cycles += slowest;
            }
      }
    }
  return cycles;
}

/** Σ_MACs T(a)·T(w) and Σ_MACs of the §7.3 potential bits, MAC by MAC on the original geometry. */
export function laconicReferenceWork(
  input: AccelLayerInput,
  params: Params,
): { pairs: number; potentialBits: number } {
  const P = refGrid(params);
  const L = refPrepare(input, false);
  const TA = L.A.map((v) => refT(v, P.encoding));
  const TW = L.W.map((v) => refT(v, P.encoding));
  let pairs = 0;
  let potentialBits = 0;
  for (let k = 0; k < L.K; k++)
    for (let oh = 0; oh < L.Oh; oh++)
      for (let ow = 0; ow < L.Ow; ow++)
        for (let c = 0; c < L.C; c++)
          for (let i = 0; i < L.Kh; i++)
            for (let j = 0; j < L.Kw; j++) {
              const p =
                TA[(c * L.Nh + L.s * oh + i) * L.Nw + L.s * ow + j] *
                TW[((k * L.C + c) * L.Kh + i) * L.Kw + j];
              pairs += p;
              potentialBits += P.zeroCount ? Math.max(1, p) : p;
            }
  return { pairs, potentialBits };
}
