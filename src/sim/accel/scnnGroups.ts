/**
 * Fast evaluation of Σ over weight groups of the SCNN group cost max(1, busiest bank) for one activation
 * group (accelerators.md §10). Identical results to exactGroupCost (tests compare them); three shortcuts:
 *
 *  - Bank structure (scnnTables.ts): the bank of a product is kpart(k) XOR uvpart(u, v).
 *  - Runs: consecutive weight groups at one kernel position (r, q). Inside a run every activation is valid
 *    for all weights or for none, so the group cost depends only on how many valid activations fall in each
 *    (u0, v0) class and bit-4 value; per run and per such pattern the sum over the run is memoised.
 *  - Interior activation groups (every product valid, truncation = floor): the cost depends only on the
 *    activations' residues (x mod 4s, y mod 4s), so the total over all weight groups is memoised by them.
 */
import { BucketTables, PAIR_INDEX } from './scnnTables';
import type { ChannelPlan } from './scnnPlan';
import { exactGroupCost, scnnOutput, type ChannelActs, type ScnnLayer, type ScnnTotals } from './scnnLayer';

/** Largest multiplicity of a bank among up to four masks, each hitting a bank at most once (bit-sliced counters). */
function maxOfMasks(m0: number, m1: number, m2: number, m3: number): number {
  let l1 = m0;
  let l2 = l1 & m1;
  l1 |= m1;
  let l3 = l2 & m2;
  l2 |= l1 & m2;
  l1 |= m2;
  const l4 = l3 & m3;
  l3 |= l2 & m3;
  l2 |= l1 & m3;
  return l4 ? 4 : l3 ? 3 : l2 ? 2 : 1;
}

/**
 * Largest bank count over n activations whose per-bank counts (0, 1 or 2) are given by masks[i] (≥ 1) and
 * masks2[i] (≥ 2): bit-sliced counters l_k = banks with count ≥ k, updated from the top level down.
 */
function maxOfLevels(n: number): number {
  let l1 = 0;
  let l2 = 0;
  let l3 = 0;
  let l4 = 0;
  let l5 = 0;
  let l6 = 0;
  let l7 = 0;
  let l8 = 0;
  for (let i = 0; i < n; i++) {
    const a = masks[i];
    const b = masks2[i];
    l8 |= (l7 & a) | (l6 & b);
    l7 |= (l6 & a) | (l5 & b);
    l6 |= (l5 & a) | (l4 & b);
    l5 |= (l4 & a) | (l3 & b);
    l4 |= (l3 & a) | (l2 & b);
    l3 |= (l2 & a) | (l1 & b);
    l2 |= (l1 & a) | b;
    l1 |= a;
  }
  return l8 ? 8 : l7 ? 7 : l6 ? 6 : l5 ? 5 : l4 ? 4 : l3 ? 3 : l2 ? 2 : 1;
}

const masks = new Int32Array(4);
const masks2 = new Int32Array(4);
const residues = new Int32Array(4);
const classCount = new Int32Array(8);
const rLo = new Int32Array(4);
const rSafe = new Int32Array(4);
const rValid = new Int32Array(4);
const qLo = new Int32Array(4);
const qSafe = new Int32Array(4);
const qValid = new Int32Array(4);
const scratch = new Float64Array(1);

/**
 * Cost of activations [g0, g1) (≤ 4 of them) against weight group h, by classifying each activation against the
 * group's kernel-position box: all products valid and truncation = floor → residue table; none valid → no
 * product; anything else → the literal count.
 */
function groupCost(
  T: BucketTables,
  acts: ChannelActs,
  g0: number,
  g1: number,
  h: number,
  totals: ScnnTotals,
): number {
  const rF = T.rFirst[h];
  const rL = T.rLast[h];
  const qm = T.qMin[h];
  const qM = T.qMax[h];
  const F = T.L.cfg.F;
  const w0 = T.w0 + h * F;
  const w1 = Math.min(w0 + F, T.w1);
  let n = 0;
  let twice = 0;
  for (let i = 0; i < g1 - g0; i++) {
    if (rF >= rLo[i] && rL <= rSafe[i] && qm >= qLo[i] && qM <= qSafe[i]) {
      const t = T.entry(h, residues[i]);
      if (T.residueOver[t]) return exactCost(T, acts, g0, g1, w0, w1, totals);
      masks[n] = T.residueMask[t];
      masks2[n++] = T.residueTwice[t];
      twice |= T.residueTwice[t];
    } else if (!(rL < rLo[i] || rF > rValid[i] || qM < qLo[i] || qm > qValid[i])) {
      return exactCost(T, acts, g0, g1, w0, w1, totals);
    }
  }
  totals.products += n * (w1 - w0);
  if (n === 0) return 1;
  if (twice) return maxOfLevels(n);
  return maxOfMasks(masks[0], n > 1 ? masks[1] : 0, n > 2 ? masks[2] : 0, n > 3 ? masks[3] : 0);
}

function exactCost(
  T: BucketTables,
  acts: ChannelActs,
  g0: number,
  g1: number,
  w0: number,
  w1: number,
  totals: ScnnTotals,
): number {
  scratch[0] = 0;
  const c = exactGroupCost(T.L, acts.xs, acts.ys, g0, g1, T.W, w0, w1, scratch);
  totals.products += scratch[0];
  return c;
}

/** Σ over all weight groups for an interior activation group (every product valid): residue tables only. */
function interiorSweep(
  T: BucketTables,
  acts: ChannelActs,
  g0: number,
  g1: number,
  totals: ScnnTotals,
): number {
  T.buildAll();
  const nA = g1 - g0;
  const R2 = T.R2;
  const rm = T.residueMask;
  const r2 = T.residueTwice;
  const ro = T.residueOver;
  const a0 = residues[0];
  const a1 = nA > 1 ? residues[1] : residues[0];
  const a2 = nA > 2 ? residues[2] : residues[0];
  const a3 = nA > 3 ? residues[3] : residues[0];
  const F = T.L.cfg.F;
  let sum = 0;
  for (let h = 0, t = 0; h < T.groups; h++, t += R2) {
    if (ro[t + a0] | ro[t + a1] | ro[t + a2] | ro[t + a3]) {
      const w0 = T.w0 + h * F;
      sum += exactCost(T, acts, g0, g1, w0, Math.min(w0 + F, T.w1), totals);
      continue;
    }
    if (r2[t + a0] | r2[t + a1] | r2[t + a2] | r2[t + a3]) {
      for (let i = 0; i < nA; i++) {
        masks[i] = rm[t + residues[i]];
        masks2[i] = r2[t + residues[i]];
      }
      sum += maxOfLevels(nA);
      continue;
    }
    sum += maxOfMasks(rm[t + a0], nA > 1 ? rm[t + a1] : 0, nA > 2 ? rm[t + a2] : 0, nA > 3 ? rm[t + a3] : 0);
  }
  totals.products += nA * (T.w1 - T.w0);
  return sum;
}

/** Σ over all weight groups of the bucket for activations [g0, g1) (≤ 4), products added to totals. */
function groupSum(T: BucketTables, acts: ChannelActs, g0: number, g1: number, totals: ScnnTotals): number {
  const L = T.L;
  const s = L.s;
  const reach = L.cfg.mode === 'dnnsim' ? s - 1 : 0; // trunc((x − r)/s) is still 0 for −s < x − r < 0
  const { xs, ys } = acts;
  for (let i = 0; i < g1 - g0; i++) {
    rLo[i] = xs[g0 + i] - L.Oh * s + 1;
    rSafe[i] = xs[g0 + i];
    rValid[i] = xs[g0 + i] + reach;
    qLo[i] = ys[g0 + i] - L.Ow * s + 1;
    qSafe[i] = ys[g0 + i];
    qValid[i] = ys[g0 + i] + reach;
  }
  let sum = 0;
  if (!T.useRuns) {
    for (let h = 0; h < T.groups; h++) sum += groupCost(T, acts, g0, g1, h, totals);
    return sum;
  }
  for (let run = 0; run < T.runStart.length; run++) {
    classCount.fill(0);
    let valid = 0;
    const r = T.runR[run];
    const q = T.runQ[run];
    for (let a = g0; a < g1; a++) {
      let u: number;
      let v: number;
      if (s === 1) {
        u = xs[a] - r;
        v = ys[a] - q;
        if (u < 0 || u >= L.Oh || v < 0 || v >= L.Ow) continue;
      } else {
        u = scnnOutput(L, xs[a], r, L.Oh);
        if (u < 0) continue;
        v = scnnOutput(L, ys[a], q, L.Ow);
        if (v < 0) continue;
      }
      valid++;
      classCount[(((u & 1) << 1) | (v & 1)) * 2 + (((u ^ v) >> 1) & 1)]++;
    }
    let pairMask = 0;
    for (let p = 0; p < 4; p++) {
      const c0 = classCount[2 * p];
      const c1 = classCount[2 * p + 1];
      if (c0 + c1 > 0) pairMask |= 1 << PAIR_INDEX[Math.min(c0, c1) * 5 + Math.max(c0, c1)];
    }
    sum += T.runSum(run, pairMask);
    totals.products += valid * T.runWeights[run];
  }
  for (const h of T.mixed) sum += groupCost(T, acts, g0, g1, h, totals);
  return sum;
}

function setResidues(acts: ChannelActs, g0: number, g1: number, m: number): void {
  for (let a = g0; a < g1; a++) residues[a - g0] = (acts.xs[a] % m) * m + (acts.ys[a] % m);
}

/**
 * Cost of one PE for one channel: Σ over buckets of (interior keys × their memoised sums in `keySums`, filled
 * on first use) + the edge groups one by one.
 */
export function peChannelCost(
  L: ScnnLayer,
  plan: ChannelPlan,
  acts: ChannelActs,
  pe: number,
  tables: (BucketTables | null)[],
  keySums: Int32Array[],
  totals: ScnnTotals,
): number {
  const { I, F } = L.cfg;
  const nb = L.s * L.s;
  const m = 4 * L.s;
  let cost = 0;
  for (let b = 0; b < nb; b++) {
    const T = tables[b];
    if (!T) continue;
    const cell = pe * nb + b;
    const sums = keySums[b];
    const nW = T.w1 - T.w0;
    for (let i = plan.keyOff[cell]; i < plan.keyOff[cell + 1]; i++) {
      const id = plan.keyId[i];
      const count = plan.keyCount[i];
      const nA = plan.repSize[b][id];
      let sum = sums[id];
      if (sum < 0) {
        const g0 = plan.repStart[b][id];
        setResidues(acts, g0, g0 + nA, m);
        const products = totals.products;
        sum = T.useRuns
          ? groupSum(T, acts, g0, g0 + nA, totals)
          : interiorSweep(T, acts, g0, g0 + nA, totals);
        totals.products = products;
        sums[id] = sum;
      }
      cost += count * sum;
      totals.conflictCycles += count * (sum - T.groups);
      totals.products += count * nA * nW;
    }
    const aEnd = acts.start[cell + 1];
    for (let i = plan.edgeOff[cell]; i < plan.edgeOff[cell + 1]; i++) {
      const g0 = plan.edgeStart[i];
      const g1 = Math.min(g0 + I, aEnd);
      let sum = 0;
      if (I > 4) {
        for (let h = 0; h < T.groups; h++) {
          const w0 = T.w0 + h * F;
          sum += exactCost(T, acts, g0, g1, w0, Math.min(w0 + F, T.w1), totals);
        }
      } else {
        setResidues(acts, g0, g1, m);
        sum = groupSum(T, acts, g0, g1, totals);
      }
      cost += sum;
      totals.conflictCycles += sum - T.groups;
    }
  }
  return cost;
}
