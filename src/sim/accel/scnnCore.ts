/**
 * SCNN cycle loop (accelerators.md §10): for each output-channel group of Kc filters, every input channel is
 * a barrier (the slowest PE sets its cycles), then the halo exchange; dense mode counts all operands.
 */
import { cdiv } from '../types';
import { peChannelCost } from './scnnGroups';
import { buildChannelPlan } from './scnnPlan';
import { BucketTables } from './scnnTables';
import {
  channelActs,
  denseActCounts,
  interiorFlags,
  scnnHaloPerFilter,
  weightGroups,
  type ScnnLayer,
  type ScnnTotals,
} from './scnnLayer';

export function scnnCounts(L: ScnnLayer): ScnnTotals {
  const { Pg, I, F } = L.cfg;
  const s = L.s;
  const nb = s * s;
  const totals: ScnnTotals = {
    cycles: 0,
    denseCycles: 0,
    products: 0,
    haloCycles: 0,
    conflictCycles: 0,
    multiplied: 0,
  };
  const ix = interiorFlags(L, L.Xe, L.Kh, L.Oh);
  const iy = interiorFlags(L, L.Ye, L.Kw, L.Ow);
  // Activation bucket b = (x mod s)·s + (y mod s) meets weight bucket b; interior flags per axis residue.
  const interiorX = Array.from({ length: nb }, (_, b) => ix[Math.floor(b / s)]);
  const interiorY = Array.from({ length: nb }, (_, b) => iy[b % s]);
  const acts = Array.from({ length: L.C }, (_, c) => channelActs(L, c));
  const plans = acts.map((a) => buildChannelPlan(L, a, interiorX, interiorY));
  const denseActs = denseActCounts(L);
  const halo = scnnHaloPerFilter(L);
  for (let k0 = 0; k0 < L.K; k0 += L.Kc) {
    const k1 = Math.min(k0 + L.Kc, L.K);
    let denseChannel = 0;
    for (let c = 0; c < L.C; c++) {
      const W = weightGroups(L, c, k0, k1);
      if (c === 0) {
        // Dense cost ignores values, so it is the same for every channel of this group.
        for (let pe = 0; pe < Pg * Pg; pe++) {
          let d = 0;
          for (let b = 0; b < nb; b++) d += cdiv(denseActs[pe * nb + b], I) * cdiv(W.denseCount[b], F);
          denseChannel = Math.max(denseChannel, d);
        }
      }
      const tables = Array.from({ length: nb }, (_, b) =>
        W.start[b + 1] > W.start[b] ? new BucketTables(L, W, W.start[b], W.start[b + 1]) : null,
      );
      for (let cell = 0; cell < Pg * Pg * nb; cell++)
        totals.multiplied +=
          (acts[c].start[cell + 1] - acts[c].start[cell]) * (W.start[(cell % nb) + 1] - W.start[cell % nb]);
      const keySums = plans[c].repStart.map((r) => new Int32Array(r.length).fill(-1));
      let worst = 0;
      for (let pe = 0; pe < Pg * Pg; pe++)
        worst = Math.max(worst, peChannelCost(L, plans[c], acts[c], pe, tables, keySums, totals));
      totals.cycles += worst;
    }
    totals.denseCycles += denseChannel * L.C;
    const haloCycles = halo * (k1 - k0);
    totals.cycles += haloCycles;
    totals.denseCycles += haloCycles;
    totals.haloCycles += haloCycles;
  }
  return totals;
}
