/** Test-only reference Loom: the Laconic §7.1/§7.2 walks with the §8 step cost, literally. */
import type { AccelLayerInput, Params } from '../../../../src/sim/accel/types';
import { actAt, cdivRef, refPrepare, refWindowGroups, wgtAt } from './layer';
import { refGroupCost, refWidth } from './widthsRef';

export function loomRefParams(params: Params) {
  const num = (name: string, d: number) => (params[name] ?? d) as number;
  return {
    lanes: num('lanes', 16),
    columns: num('columns', 16),
    rows: num('rows', 16),
    tiles: num('tiles', 16),
    spaceToDepth: (params.firstLayerSpaceToDepth ?? true) as boolean,
    pg: num('precisionGranularity', 16),
    psb: num('peSerialBits', 1),
    dynamicWeights: (params.dynamicWeights ?? false) as boolean,
    leadingBit: (params.leadingBit ?? false) as boolean,
  };
}

export function loomReferenceCycles(input: AccelLayerInput, params: Params): number {
  const P = loomRefParams(params);
  const L = refPrepare(input, P.spaceToDepth);
  const span = P.pg / P.lanes;
  const setSize = P.rows * P.tiles;
  const wgtCycles = (f0: number, cg: number, i: number, j: number) => {
    if (!P.dynamicWeights) return input.pw;
    let worst = 0;
    const f1 = Math.min(f0 + P.rows, L.K);
    for (let g0 = f0; g0 < f1; g0 += span) {
      const values: number[] = [];
      for (let f = g0; f < Math.min(g0 + span, f1); f++)
        for (let c = cg; c < Math.min(cg + P.lanes, L.C); c++) values.push(wgtAt(L, f, c, i, j));
      worst = Math.max(worst, refGroupCost(values, P.leadingBit));
    }
    return worst;
  };

  if (input.geometry.kind === 'fc') {
    const colEnd = Array.from({ length: P.tiles }, () => new Array<number>(P.columns).fill(0));
    const issue = new Array<number>(P.tiles).fill(0);
    let col = 0;
    for (let m = 0; m < L.K; m += setSize)
      for (let t = 0; t < P.tiles; t++) {
        const f0 = m + t * P.rows;
        for (let cg = 0; cg < L.C; cg += P.lanes) {
          if (issue[t] < colEnd[t][col]) issue[t] = colEnd[t][col];
          let cost = 0;
          if (f0 < L.K) {
            const values: number[] = [];
            for (let c = cg; c < Math.min(cg + P.lanes, L.C); c++) values.push(actAt(L, c, 0, 0));
            cost = wgtCycles(f0, cg, 0, 0) * cdivRef(refGroupCost(values, P.leadingBit), P.psb);
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

  let cycles = 0;
  for (let m = 0; m < L.K; m += setSize)
    for (const G of refWindowGroups(L, P.columns)) {
      const tileAcc = new Array<number>(P.tiles).fill(0);
      for (let t = 0; t < P.tiles; t++) {
        const f0 = m + t * P.rows;
        if (f0 >= L.K) continue;
        for (let i = 0; i < L.Kh; i++)
          for (let j = 0; j < L.Kw; j++)
            for (let cg = 0; cg < L.C; cg += P.lanes) {
              let actWidth = 0;
              for (let w0 = 0; w0 < G.length; w0 += span) {
                const values: number[] = [];
                for (const { oh, ow } of G.slice(w0, w0 + span))
                  for (let c = cg; c < Math.min(cg + P.lanes, L.C); c++)
                    values.push(actAt(L, c, L.s * oh + i, L.s * ow + j));
                actWidth = Math.max(actWidth, refGroupCost(values, P.leadingBit));
              }
              tileAcc[t] += wgtCycles(f0, cg, i, j) * cdivRef(actWidth, P.psb);
            }
      }
      cycles += Math.max(...tileAcc);
    }
  return cycles;
}

/** Σ over the original MACs of width(a) · (dynamicWeights ? width(w) : Pw). */
export function loomReferenceWork(input: AccelLayerInput, params: Params): number {
  const P = loomRefParams(params);
  const L = refPrepare(input, false);
  let bits = 0;
  for (let k = 0; k < L.K; k++)
    for (let oh = 0; oh < L.Oh; oh++)
      for (let ow = 0; ow < L.Ow; ow++)
        for (let c = 0; c < L.C; c++)
          for (let i = 0; i < L.Kh; i++)
            for (let j = 0; j < L.Kw; j++) {
              const a = refWidth(actAt(L, c, L.s * oh + i, L.s * ow + j), P.leadingBit);
              bits += a * (P.dynamicWeights ? refWidth(wgtAt(L, k, c, i, j), P.leadingBit) : input.pw);
            }
  return bits;
}
