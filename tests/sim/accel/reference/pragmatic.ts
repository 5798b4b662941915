/**
 * Test-only reference Bit-Pragmatic: a direct transliteration of accelerators.md §6.1–6.4 (arrays of term
 * positions, Math.max over spreads, E.shift/push). Slow on purpose; the bench compares it with
 * src/sim/accel/pragmatic.ts.
 */
import type { AccelLayerInput, Params } from '../../../../src/sim/accel/types';
import { actAt, cdivRef, refPrepare, refWindowGroups } from './layer';
import { refGrid } from './params';
import { refT, refTermPositions, type RefEncoding } from './terms';

/** §6.1 literally. */
export function refPragmaticPE(brick: number[], b: number, encoding: RefEncoding = 'boothLike'): number {
  const q = Array.from(brick, (v) => [...refTermPositions(Math.abs(v), encoding)]);
  const reach = 2 ** b - 1;
  let cycles = 0;
  while (q.some((x) => x.length > 0)) {
    const base = Math.min(...q.filter((x) => x.length > 0).map((x) => x[0]));
    for (const x of q) if (x.length > 0 && x[0] <= base + reach) x.shift();
    cycles++;
  }
  return Math.max(cycles, 1);
}

/** §6.3 literally. */
export function refColumnSync(cum: number[], E: number[], R: number): void {
  if (R === 0) {
    const m = Math.max(...cum);
    cum.fill(m);
    return;
  }
  for (let c = 0; c < cum.length; c++) if (cum[c] <= E[0]) cum[c] = E[0] + 1;
  E.shift();
  E.push(Math.max(...cum));
}

/** §6.4 literally, with the brick costs given. */
export function refBrickIssue(costs: number[], columns: number, filterSets: number): number {
  const colEnd = new Array(columns).fill(0);
  let t = 0;
  let col = 0;
  for (const cost of costs) {
    if (t < colEnd[col]) t = colEnd[col];
    colEnd[col] = t + cost;
    t += 1;
    col = (col + 1) % columns;
  }
  return t * filterSets + (Math.max(...colEnd) - t);
}

/** Pragmatic cycles of one layer (§6.2 conv, §6.4 FC). */
export function pragmaticReferenceCycles(input: AccelLayerInput, params: Params): number {
  const P = refGrid(params);
  const L = refPrepare(input, P.spaceToDepth);
  const filterSets = cdivRef(L.K, P.rows * P.tiles);
  if (input.geometry.kind === 'fc') {
    const costs: number[] = [];
    for (let cg = 0; cg < L.C; cg += P.lanes) {
      const brick: number[] = [];
      for (let l = 0; l < P.lanes && cg + l < L.C; l++) brick.push(actAt(L, cg + l, 0, 0));
      costs.push(refPragmaticPE(brick, P.b, P.encoding));
    }
    return refBrickIssue(costs, P.columns, filterSets);
  }
  const cum = new Array(P.columns).fill(0);
  const E = new Array(P.R).fill(0);
  for (const G of refWindowGroups(L, P.columns)) {
    for (let i = 0; i < L.Kh; i++)
      for (let j = 0; j < L.Kw; j++)
        for (let cg = 0; cg < L.C; cg += P.lanes) {
          for (let c = 0; c < G.length; c++) {
            const brick: number[] = [];
            for (let l = 0; l < P.lanes && cg + l < L.C; l++) {
              brick.push(actAt(L, cg + l, L.s * G[c].oh + i, L.s * G[c].ow + j));
            }
            cum[c] += refPragmaticPE(brick, P.b, P.encoding);
          }
          refColumnSync(cum, E, P.R);
        }
  }
  return Math.max(...cum) * filterSets;
}

/** Σ_MACs T(a) and Σ_MACs max(1, T(a)) over every MAC of the original geometry, one by one. */
export function pragmaticReferenceWork(
  input: AccelLayerInput,
  params: Params,
): { terms: number; potentialTerms: number } {
  const P = refGrid(params);
  const L = refPrepare(input, false);
  const TA = L.A.map((v) => refT(v, P.encoding));
  let terms = 0;
  let potentialTerms = 0;
  for (let k = 0; k < L.K; k++)
    for (let oh = 0; oh < L.Oh; oh++)
      for (let ow = 0; ow < L.Ow; ow++)
        for (let c = 0; c < L.C; c++)
          for (let i = 0; i < L.Kh; i++)
            for (let j = 0; j < L.Kw; j++) {
              const t = TA[(c * L.Nh + L.s * oh + i) * L.Nw + L.s * ow + j];
              terms += t;
              potentialTerms += Math.max(1, t);
            }
  return { terms, potentialTerms };
}
