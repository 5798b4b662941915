/** Test-only reference Dynamic Stripes: accelerators.md §5 (conv), §6.3 sync and §6.4 FC, literally. */
import type { AccelLayerInput, Params } from '../../../../src/sim/accel/types';
import { actAt, cdivRef, refPrepare, refWindowGroups } from './layer';
import { refBrickIssue, refColumnSync } from './pragmatic';
import { refGroupCost, refWidth } from './widthsRef';

export function dstripesRefParams(params: Params) {
  const num = (name: string, d: number) => (params[name] ?? d) as number;
  return {
    lanes: num('lanes', 16),
    columns: num('columns', 16),
    rows: num('rows', 16),
    tiles: num('tiles', 16),
    spaceToDepth: (params.firstLayerSpaceToDepth ?? true) as boolean,
    pg: num('precisionGranularity', 16),
    leadingBit: (params.leadingBit ?? true) as boolean,
    R: num('columnRegisters', 1),
  };
}

/** Cycles and the skipped bits (K · Σ_steps Σ_groups windows · lanes · (Pa − cost)). */
export function dstripesReference(
  input: AccelLayerInput,
  params: Params,
): { cycles: number; skipped: number } {
  const P = dstripesRefParams(params);
  const L = refPrepare(input, P.spaceToDepth);
  const filterSets = cdivRef(L.K, P.rows * P.tiles);
  const lanesOf = (cg: number) => Math.min(P.lanes, L.C - cg);
  let skipped = 0;
  if (input.geometry.kind === 'fc') {
    const costs: number[] = [];
    for (let cg = 0; cg < L.C; cg += P.lanes) {
      const values: number[] = [];
      for (let c = cg; c < Math.min(cg + P.lanes, L.C); c++) values.push(actAt(L, c, 0, 0));
      const cost = refGroupCost(values, P.leadingBit);
      costs.push(cost);
      skipped += Math.max(0, input.pa - cost) * lanesOf(cg);
    }
    return { cycles: refBrickIssue(costs, P.columns, filterSets), skipped: skipped * L.K };
  }
  const windowsPerGroup = P.pg / P.lanes;
  const NG = Math.ceil(P.columns / windowsPerGroup);
  const cum = new Array<number>(NG).fill(0);
  const E = new Array<number>(P.R).fill(0);
  for (const G of refWindowGroups(L, P.columns))
    for (let i = 0; i < L.Kh; i++)
      for (let j = 0; j < L.Kw; j++)
        for (let cg = 0; cg < L.C; cg += P.lanes) {
          for (let g = 0; g < NG; g++) {
            const windows = G.slice(g * windowsPerGroup, (g + 1) * windowsPerGroup);
            if (windows.length === 0) continue;
            const values: number[] = [];
            for (const { oh, ow } of windows)
              for (let c = cg; c < Math.min(cg + P.lanes, L.C); c++)
                values.push(actAt(L, c, L.s * oh + i, L.s * ow + j));
            const cost = refGroupCost(values, P.leadingBit);
            cum[g] += cost;
            skipped += Math.max(0, input.pa - cost) * windows.length * lanesOf(cg);
          }
          refColumnSync(cum, E, P.R);
        }
  return { cycles: Math.max(...cum) * filterSets, skipped: skipped * L.K };
}

export function dstripesReferenceCycles(input: AccelLayerInput, params: Params): number {
  return dstripesReference(input, params).cycles;
}

/** Σ over the original MACs of width(a). */
export function dstripesReferenceWork(input: AccelLayerInput, params: Params): number {
  const P = dstripesRefParams(params);
  const L = refPrepare(input, false);
  let bits = 0;
  for (let k = 0; k < L.K; k++)
    for (let oh = 0; oh < L.Oh; oh++)
      for (let ow = 0; ow < L.Ow; ow++)
        for (let c = 0; c < L.C; c++)
          for (let i = 0; i < L.Kh; i++)
            for (let j = 0; j < L.Kw; j++)
              bits += refWidth(actAt(L, c, L.s * oh + i, L.s * ow + j), P.leadingBit);
  return bits;
}
