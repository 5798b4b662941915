/** Cnvlutin (accelerators.md §9) written straight from the spec pseudo-code. */
import type { AccelLayerInput, Params } from '../../../../src/sim/accel/types';
import { paddedView, type PaddedView } from './padded';

export interface CnvRefConfig {
  interleaved: boolean;
  F: number;
  E: number;
  threshold: number;
}

export function cnvRefConfig(params: Params): CnvRefConfig {
  return {
    interleaved: params.slicing === 'interleaved',
    F: (params.fragment as number) ?? 16,
    E: (params.emptyFragmentCycles as number) ?? 1,
    threshold: (params.threshold as number) ?? 0,
  };
}

export function sliceOf(C: number, u: number, interleaved: boolean): number[] {
  const out: number[] = [];
  if (interleaved) for (let c = u; c < C; c += 16) out.push(c);
  else for (let c = Math.floor((u * C) / 16); c < Math.floor(((u + 1) * C) / 16); c++) out.push(c);
  return out;
}

/** seq_u of window n: 1 for an effectual activation, 0 otherwise, in (i, j, c) order. */
export function subunitSequence(v: PaddedView, cfg: CnvRefConfig, n: number, u: number): number[] {
  const oh = n % v.Oh;
  const ow = Math.floor(n / v.Oh);
  const seq: number[] = [];
  for (let i = 0; i < v.Kh; i++)
    for (let j = 0; j < v.Kw; j++)
      for (const c of sliceOf(v.C, u, cfg.interleaved))
        seq.push(Math.abs(v.a(c, v.s * oh + i, v.s * ow + j)) > cfg.threshold ? 1 : 0);
  return seq;
}

export function referenceCnvlutin(
  input: AccelLayerInput,
  params: Params,
): { cycles: number; dense: number; effectual: number } {
  const cfg = cnvRefConfig(params);
  const v = paddedView(input);
  const sets = Math.ceil(v.K / 256);
  let cycles = 0;
  let dense = 0;
  let effectual = 0;
  for (let n = 0; n < v.Oh * v.Ow; n++) {
    let worst = 0;
    let longest = 0;
    for (let u = 0; u < 16; u++) {
      const seq = subunitSequence(v, cfg, n, u);
      let cost = 0;
      for (let f = 0; f < seq.length; f += cfg.F) {
        const frag = seq.slice(f, f + cfg.F);
        const nnz = frag.reduce((a, b) => a + b, 0);
        cost += nnz > 0 ? nnz : frag.length > 0 ? cfg.E : 0;
        effectual += nnz * v.K;
      }
      worst = Math.max(worst, cost);
      longest = Math.max(longest, seq.length);
    }
    cycles += worst * sets;
    dense += longest * sets;
  }
  return { cycles, dense, effectual };
}

/** (input, params) → cycles, for the bench and equality tests. */
export function cnvlutinReferenceCycles(input: AccelLayerInput, params: Params): number {
  return referenceCnvlutin(input, params).cycles;
}
