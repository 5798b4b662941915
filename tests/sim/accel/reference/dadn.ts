/** Test-only reference DaDN (§3) and Bit Fusion (§11): the cycle loops counted one step at a time. */
import type { AccelLayerInput, Params } from '../../../../src/sim/accel/types';
import { refPrepare, cdivRef } from './layer';

const num = (params: Params, name: string, d: number) => (params[name] ?? d) as number;

export function dadnReferenceCycles(input: AccelLayerInput, params: Params): number {
  const lanes = num(params, 'lanes', 16);
  const set = num(params, 'rows', 16) * num(params, 'tiles', 16);
  const L = refPrepare(input, (params.firstLayerSpaceToDepth ?? true) as boolean);
  let cycles = 0;
  for (let m = 0; m < L.K; m += set)
    for (let n = 0; n < L.Oh * L.Ow; n++)
      for (let i = 0; i < L.Kh; i++)
        for (let j = 0; j < L.Kw; j++) for (let cg = 0; cg < L.C; cg += lanes) cycles++;
  return cycles;
}

export function bitfusionReferenceCycles(input: AccelLayerInput, params: Params): number {
  const M = num(params, 'M', 32);
  const N = num(params, 'N', 16);
  const PMAX = num(params, 'pmax', 8);
  const PMIN = num(params, 'pmin', 2);
  let Pa = input.pa;
  let Pw = input.pw;
  let tm = 1;
  if (Pa > PMAX) {
    Pa = PMAX;
    tm *= 2;
  }
  if (Pw > PMAX) {
    Pw = PMAX;
    tm *= 2;
  }
  Pa = Math.max(Pa, PMIN);
  Pw = Math.max(Pw, PMIN);
  const pf = Math.floor(PMAX / Pa) * Math.floor(PMAX / Pw);
  const im2col = params.firstLayer === 'im2col' && input.isFirst && input.geometry.kind === 'conv';
  const L = refPrepare(input, !im2col);
  let cycles = 0;
  for (let k = 0; k < L.K; k += M)
    for (let n = 0; n < L.Oh * L.Ow; n++) {
      if (im2col) cycles += cdivRef(L.Kh * L.Kw * L.C, N * pf) * tm;
      else
        for (let i = 0; i < L.Kh; i++)
          for (let j = 0; j < L.Kw; j++) for (let c = 0; c < L.C; c += N * pf) cycles += tm;
    }
  return cycles;
}
