/** Test-only reference Stripes (§4): the step loop and the §6.4 brick issue loop, literally. */
import type { AccelLayerInput, Params } from '../../../../src/sim/accel/types';
import { cdivRef, refPrepare, refWindowGroups } from './layer';
import { refBrickIssue } from './pragmatic';

const num = (params: Params, name: string, d: number) => (params[name] ?? d) as number;

export function stripesReferenceCycles(input: AccelLayerInput, params: Params): number {
  const lanes = num(params, 'lanes', 16);
  const columns = num(params, 'columns', 16);
  const bitsPe = num(params, 'bitsPe', 16);
  const L = refPrepare(input, (params.firstLayerSpaceToDepth ?? true) as boolean);
  const colsPerAct = cdivRef(input.pa, bitsPe);
  const rowsPerWgt = cdivRef(input.pw, bitsPe);
  const windowsPerTile = Math.floor(columns / colsPerAct);
  const filtersPerPass = Math.floor((num(params, 'rows', 16) * num(params, 'tiles', 16)) / rowsPerWgt);
  const stepCost = colsPerAct === 1 && rowsPerWgt === 1 ? input.pa : bitsPe;
  if (input.geometry.kind === 'fc') {
    const costs: number[] = [];
    for (let cg = 0; cg < L.C; cg += lanes) costs.push(stepCost);
    return refBrickIssue(costs, windowsPerTile, cdivRef(L.K, filtersPerPass));
  }
  let cycles = 0;
  for (let m = 0; m < L.K; m += filtersPerPass)
    for (const G of refWindowGroups(L, windowsPerTile)) {
      void G;
      for (let i = 0; i < L.Kh; i++)
        for (let j = 0; j < L.Kw; j++) for (let cg = 0; cg < L.C; cg += lanes) cycles += stepCost;
    }
  return cycles;
}
