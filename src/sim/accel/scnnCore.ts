/**
 * SCNN cycle loop (accelerators.md §10): for each output-channel group of Kc filters, every input channel is
 * a barrier (the slowest PE sets its cycles, scnnEvaluator.ts), then the halo exchange; dense mode counts all
 * operands.
 */
import { cdiv } from '../types';
import { CONFLICTS, MULTIPLIED, PRODUCTS, ScnnEvaluator } from './scnnEvaluator';
import {
  denseActCounts,
  scnnHaloPerFilter,
  weightBucket,
  type ScnnLayer,
  type ScnnTotals,
} from './scnnLayer';

export function scnnCounts(L: ScnnLayer): ScnnTotals {
  const { Pg, I, F } = L.cfg;
  const nb = L.s * L.s;
  const evaluator = new ScnnEvaluator(L);
  let cycles = 0;
  // Integer sums in any order are exact, so channels go outermost: profiles are built once per channel.
  for (let c = 0; c < L.C; c++) {
    evaluator.load(c);
    for (let k0 = 0; k0 < L.K; k0 += L.Kc) {
      const peCost = evaluator.evaluate(k0, Math.min(k0 + L.Kc, L.K));
      let worst = 0;
      for (let pe = 0; pe < peCost.length; pe++) if (peCost[pe] > worst) worst = peCost[pe];
      cycles += worst;
    }
  }
  const denseActs = denseActCounts(L);
  const tapsPerBucket = bucketTapCounts(L);
  const halo = scnnHaloPerFilter(L);
  let denseCycles = 0;
  let haloCycles = 0;
  for (let k0 = 0; k0 < L.K; k0 += L.Kc) {
    const filters = Math.min(k0 + L.Kc, L.K) - k0;
    // Dense cost ignores values, so it is the same for every channel of this group.
    let denseChannel = 0;
    for (let pe = 0; pe < Pg * Pg; pe++) {
      let d = 0;
      for (let b = 0; b < nb; b++) d += cdiv(denseActs[pe * nb + b], I) * cdiv(tapsPerBucket[b] * filters, F);
      denseChannel = Math.max(denseChannel, d);
    }
    denseCycles += denseChannel * L.C;
    haloCycles += halo * filters;
  }
  return {
    cycles: cycles + haloCycles,
    denseCycles: denseCycles + haloCycles,
    products: evaluator.sums[PRODUCTS],
    haloCycles,
    conflictCycles: evaluator.sums[CONFLICTS],
    multiplied: evaluator.sums[MULTIPLIED],
  };
}

/** Kernel positions (r, q) per bucket, zero weights included: the dense weight count per filter. */
function bucketTapCounts(L: ScnnLayer): Int32Array {
  const out = new Int32Array(L.s * L.s);
  for (let r = 0; r < L.Kh; r++)
    for (let q = 0; q < L.Kw; q++) out[weightBucket(L, r) * L.s + weightBucket(L, q)]++;
  return out;
}
