/**
 * Cycle-by-cycle view of SCNN (accelerators.md §10) for one tile = one output-channel group (filterBlock,
 * Kc filters each) × one input channel (windowBlock): the Pg × Pg PEs, each with I × F multipliers. The
 * channel's cycle count is the slowest PE's cost from ScnnEvaluator (the cycle count's own code); the states
 * replay every I × F group literally: each valid product retires in the cycle given by its rank among the
 * products of its accumulator bank (so a group lasts max(1, busiest bank) cycles).
 */
import { cdiv } from '../types';
import { ScnnEvaluator } from './scnnEvaluator';
import { denseActCounts, prepareScnn, scnnBank, scnnOutput, type ScnnConfig } from './scnnLayer';
import { channelActs, weightGroups } from './scnnQueues';
import { TraceBuffer } from './traceBuffer';
import { UnitState } from './types';
import type { AccelLayerInput, TileTrace, TraceRequest } from './types';

export function traceScnn(input: AccelLayerInput, cfg: ScnnConfig, request: TraceRequest): TileTrace {
  const L = prepareScnn(input, cfg);
  const { filterBlock: fb, windowBlock: c } = request;
  const groupsOfFilters = cdiv(L.K, L.Kc);
  if (!(Number.isInteger(fb) && fb >= 0 && fb < groupsOfFilters))
    throw new RangeError(`trace: filterBlock ${fb} out of range`);
  if (!(Number.isInteger(c) && c >= 0 && c < L.C))
    throw new RangeError(`trace: windowBlock ${c} out of range`);
  const { Pg, I, F, banks } = cfg;
  const s = L.s;
  const nb = s * s;
  const k0 = fb * L.Kc;
  const k1 = Math.min(k0 + L.Kc, L.K);
  const W = weightGroups(L, c, k0, k1);
  const acts = channelActs(L, c);
  const evaluator = new ScnnEvaluator(L);
  evaluator.load(c);
  const cycles = Math.max(...evaluator.evaluate(k0, k1));
  const units = I * F;
  const buf = new TraceBuffer(cycles, request.maxCycles, Pg, Pg, units);
  const bankRank = new Int32Array(32);
  const denseActs = denseActCounts(L);
  for (let pe = 0; pe < Pg * Pg; pe++) {
    const row = Math.floor(pe / Pg);
    const col = pe % Pg;
    buf.fill(row, col, 0, units, 0, cycles, UnitState.Idle);
    let t = 0;
    // Pairs with a zero activation or a zero weight are never formed.
    let skipped = 0;
    for (let b = 0; b < nb; b++)
      skipped +=
        denseActs[pe * nb + b] * W.denseCount[b] -
        (acts.start[pe * nb + b + 1] - acts.start[pe * nb + b]) * (W.start[b + 1] - W.start[b]);
    buf.addSkipped(0, skipped);
    for (let b = 0; b < nb && t < buf.storedCycles; b++) {
      const a0 = acts.start[pe * nb + b];
      const a1 = acts.start[pe * nb + b + 1];
      for (let g0 = a0; g0 < a1 && t < buf.storedCycles; g0 += I)
        for (let w0 = W.start[b]; w0 < W.start[b + 1] && t < buf.storedCycles; w0 += F) {
          bankRank.fill(0);
          let longest = 0;
          for (let i = 0; i < I && g0 + i < a1; i++)
            for (let f = 0; f < F && w0 + f < W.start[b + 1]; f++) {
              const u = scnnOutput(L, acts.xs[g0 + i], W.rs[w0 + f], L.Oh);
              const v = u < 0 ? -1 : scnnOutput(L, acts.ys[g0 + i], W.qs[w0 + f], L.Ow);
              if (v < 0) {
                buf.set(t, row, col, i * F + f, UnitState.Ineffectual);
                continue;
              }
              const bank = scnnBank(W.ks[w0 + f], u, v, banks);
              buf.set(t + bankRank[bank], row, col, i * F + f, UnitState.Effectual);
              longest = Math.max(longest, ++bankRank[bank]);
            }
          t += Math.max(1, longest);
        }
    }
  }
  return {
    model: 'scnn',
    layer: input.name,
    filterBlock: fb,
    windowBlock: c,
    peRows: Pg,
    peCols: Pg,
    unitsPerPE: units,
    cycles,
    storedCycles: buf.storedCycles,
    states: buf.states,
    skippedPerCycle: buf.skippedPerCycle,
    notes: [
      `filters ${k0}..${k1 - 1} against input channel ${c}; PE (r, c) covers plane rows ${L.tw}·r .. and columns ${L.th}·c ..`,
      `unit i·${F} + f multiplies activation i and weight f of the current ${I} × ${F} group`,
      'Effectual: a valid product retires into its bank; Ineffectual: product outside the output plane; Idle: waiting for a bank, for the group or for the channel barrier',
      'halo exchange cycles after the filter group are not part of the tile',
    ],
    unit: 'mac',
  };
}
