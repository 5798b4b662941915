/**
 * Fast evaluation of Σ over weight groups of the SCNN group cost max(1, busiest bank) for one activation
 * group (accelerators.md §10). Identical results to exactGroupCost (tests compare them); three shortcuts:
 *
 *  - Bank structure: bank(k, u, v) = kpart(k) XOR uvpart(u, v) with kpart = bits {4, 1, 0} from k mod 8 and
 *    uvpart = bits {4, 3, 2} from (u1 ^ v1, u0, v0) (the three added terms of the DNNsim formula occupy
 *    disjoint bits). Two products collide only if their weights agree on k mod 4 and their activations on
 *    (u0, v0); bit 4 then pairs a weight with k2 = 0 with activations of one bit-4 value and k2 = 1 with the
 *    other.
 *  - Runs: consecutive weight groups at one kernel position (r, q). Inside a run every activation is valid
 *    for all weights or for none, so the group cost depends only on how many valid activations fall in each
 *    (u0, v0) class and bit-4 value; per run and per such pattern the sum over the run is memoised.
 *  - Interior activation groups (every product valid, truncation = floor): the cost depends only on the
 *    activations' residues (x mod 4s, y mod 4s), so the total over all weight groups is memoised by them.
 */
import { cdiv } from '../types';
import {
  exactGroupCost,
  scnnOutput,
  type ChannelActs,
  type ScnnLayer,
  type ScnnTotals,
  type WeightGroups,
} from './scnnLayer';

/** Unordered (lo, hi) counts of one (u0, v0) class split by bit-4 value, lo + hi ≤ 4 (I ≤ 4). */
const PAIR_TYPES: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, 2],
  [0, 3],
  [0, 4],
  [1, 1],
  [1, 2],
  [1, 3],
  [2, 2],
];
const NT = PAIR_TYPES.length;
const EMPTY_MASKS = new Int32Array(0);
const EMPTY_DUPS = new Uint8Array(0);
const PAIR_INDEX = (() => {
  const t = new Int32Array(25).fill(-1);
  PAIR_TYPES.forEach(([lo, hi], i) => (t[lo * 5 + hi] = i));
  return t;
})();

/** Weight groups of one bucket of one (output-channel group, channel). */
export class BucketTables {
  /** Group h: weights [w0 + hF, min(w0 + hF + F, w1)). */
  readonly groups: number;
  readonly rFirst: Int32Array;
  readonly rLast: Int32Array;
  readonly qMin: Int32Array;
  readonly qMax: Int32Array;
  readonly R2: number;
  /**
   * Banks hit by group h for an activation of residue (x mod 4s, y mod 4s) whose products are all valid, at
   * [h·R2 + residue]; 0 = not computed yet (a group has at least one weight, so a real mask is never 0).
   */
  residueMask: Int32Array = EMPTY_MASKS;
  /** 1 where two weights of the group hit the same bank for that residue. */
  residueDup: Uint8Array = EMPTY_DUPS;
  /** Σ over all groups of the cost of an interior activation group, keyed by its sorted residues. */
  readonly memo = new Map<number, number>();
  /** Run i covers groups [runStart[i], runEnd[i]) at kernel position (runR[i], runQ[i]). */
  readonly runStart: number[] = [];
  readonly runEnd: number[] = [];
  readonly runR: number[] = [];
  readonly runQ: number[] = [];
  readonly runWeights: number[] = [];
  /** Groups whose weights sit at more than one kernel position. */
  readonly mixed: number[] = [];
  /** Whether sums go run by run (long runs, 32 distinct banks) rather than group by group. */
  readonly useRuns: boolean;
  private allBuilt = false;
  /** Per run: cost of each group for each pair type, [h·NT + t], −1 = not computed. */
  private readonly runCosts: (Int32Array | null)[] = [];
  private readonly runMemo: (Int32Array | null)[] = [];

  constructor(
    readonly L: ScnnLayer,
    readonly W: WeightGroups,
    readonly w0: number,
    readonly w1: number,
  ) {
    const F = L.cfg.F;
    const G = cdiv(w1 - w0, F);
    this.groups = G;
    this.rFirst = new Int32Array(G);
    this.rLast = new Int32Array(G);
    this.qMin = new Int32Array(G);
    this.qMax = new Int32Array(G);
    for (let h = 0; h < G; h++) {
      const a = w0 + h * F;
      const b = Math.min(a + F, w1);
      let qMin = W.qs[a];
      let qMax = W.qs[a];
      for (let w = a + 1; w < b; w++) {
        qMin = Math.min(qMin, W.qs[w]);
        qMax = Math.max(qMax, W.qs[w]);
      }
      this.rFirst[h] = W.rs[a];
      this.rLast[h] = W.rs[b - 1]; // weights are in r-outer order
      this.qMin[h] = qMin;
      this.qMax[h] = qMax;
      if (W.rs[a] !== W.rs[b - 1] || qMin !== qMax) {
        this.mixed.push(h);
        continue;
      }
      const last = this.runStart.length - 1;
      if (last >= 0 && this.runEnd[last] === h && this.runR[last] === W.rs[a] && this.runQ[last] === qMin) {
        this.runEnd[last] = h + 1;
        this.runWeights[last] += b - a;
        continue;
      }
      this.runStart.push(h);
      this.runEnd.push(h + 1);
      this.runR.push(W.rs[a]);
      this.runQ.push(qMin);
      this.runWeights.push(b - a);
      this.runCosts.push(null);
      this.runMemo.push(null);
    }
    this.R2 = 16 * L.s * L.s;
    // The XOR structure behind runSum needs all 32 bank values distinct; short runs are not worth it.
    this.useRuns =
      L.cfg.banks >= 32 && this.runStart.length > 0 && G - this.mixed.length >= 3 * this.runStart.length;
  }

  /** Fills every residue entry (before sweeping all groups for many activation groups). */
  buildAll(): void {
    if (this.allBuilt) return;
    this.allBuilt = true;
    for (let h = 0; h < this.groups; h++) for (let r = 0; r < this.R2; r++) this.entry(h, r);
  }

  /** Index of (group h, residue) in the residue tables, filling the entry on first use. */
  entry(h: number, residue: number): number {
    if (this.residueMask.length === 0) {
      this.residueMask = new Int32Array(this.groups * this.R2);
      this.residueDup = new Uint8Array(this.groups * this.R2);
    }
    const t = h * this.R2 + residue;
    if (this.residueMask[t] !== 0) return t;
    const { L, W } = this;
    const m = 4 * L.s;
    const xm = Math.floor(residue / m);
    const ym = residue - xm * m;
    const a = this.w0 + h * L.cfg.F;
    const b = Math.min(a + L.cfg.F, this.w1);
    let bits = 0;
    let dup = 0;
    for (let w = a; w < b; w++) {
      const u = L.lowBits[W.rm[w] * m + xm];
      const v = L.lowBits[W.qm[w] * m + ym];
      const bit = 1 << L.bankOfLow[W.k8[w] * 16 + u * 4 + v];
      if (bits & bit) dup = 1;
      bits |= bit;
    }
    this.residueMask[t] = bits;
    this.residueDup[t] = dup;
    return t;
  }

  /** Σ over the groups of run i of their cost when the valid activations form the pair types in `pairMask`. */
  runSum(i: number, pairMask: number): number {
    const groups = this.runEnd[i] - this.runStart[i];
    if (pairMask === 0) return groups; // no valid product: every group still takes its cycle
    let memo = this.runMemo[i];
    if (!memo) memo = this.runMemo[i] = new Int32Array(1 << NT).fill(-1);
    if (memo[pairMask] >= 0) return memo[pairMask];
    let costs = this.runCosts[i];
    if (!costs) costs = this.runCosts[i] = new Int32Array(groups * NT).fill(-1);
    for (let t = 0; t < NT; t++) if (pairMask & (1 << t) && costs[t] < 0) this.fillPairType(i, t, costs);
    let sum = 0;
    for (let h = 0; h < groups; h++) {
      let best = 0;
      for (let t = 0; t < NT; t++) if (pairMask & (1 << t)) best = Math.max(best, costs[h * NT + t]);
      sum += best;
    }
    memo[pairMask] = sum;
    return sum;
  }

  /**
   * Cost of every group of run i against one class holding (lo, hi) activations of the two bit-4 values:
   * with α_g / β_g weights of k mod 4 = g and k2 = 0 / 1, the busiest bank gets max_g max(α·lo + β·hi, α·hi + β·lo).
   */
  private fillPairType(i: number, t: number, costs: Int32Array): void {
    const { W } = this;
    const F = this.L.cfg.F;
    const [lo, hi] = PAIR_TYPES[t];
    const count = new Int32Array(8);
    for (let h = 0; h < this.runEnd[i] - this.runStart[i]; h++) {
      const a = this.w0 + (this.runStart[i] + h) * F;
      const b = Math.min(a + F, this.w1);
      count.fill(0);
      for (let w = a; w < b; w++) count[W.k8[w]]++;
      let best = 0;
      for (let g = 0; g < 4; g++)
        best = Math.max(best, count[g] * lo + count[g + 4] * hi, count[g] * hi + count[g + 4] * lo);
      costs[h * NT + t] = best;
    }
  }
}

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

const masks = new Int32Array(4);
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
  for (let i = 0; i < g1 - g0; i++) {
    if (rF >= rLo[i] && rL <= rSafe[i] && qm >= qLo[i] && qM <= qSafe[i]) {
      const t = T.entry(h, residues[i]);
      if (T.residueDup[t]) return exactCost(T, acts, g0, g1, w0, w1, totals);
      masks[n++] = T.residueMask[t];
    } else if (!(rL < rLo[i] || rF > rValid[i] || qM < qLo[i] || qm > qValid[i])) {
      return exactCost(T, acts, g0, g1, w0, w1, totals);
    }
  }
  totals.products += n * (w1 - w0);
  return n === 0 ? 1 : maxOfMasks(masks[0], n > 1 ? masks[1] : 0, n > 2 ? masks[2] : 0, n > 3 ? masks[3] : 0);
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
  const rd = T.residueDup;
  const a0 = residues[0];
  const a1 = nA > 1 ? residues[1] : residues[0];
  const a2 = nA > 2 ? residues[2] : residues[0];
  const a3 = nA > 3 ? residues[3] : residues[0];
  const F = T.L.cfg.F;
  let sum = 0;
  for (let h = 0, t = 0; h < T.groups; h++, t += R2) {
    if (rd[t + a0] | rd[t + a1] | rd[t + a2] | rd[t + a3]) {
      const w0 = T.w0 + h * F;
      sum += exactCost(T, acts, g0, g1, w0, Math.min(w0 + F, T.w1), totals);
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
    for (let a = g0; a < g1; a++) {
      const u = scnnOutput(L, xs[a], T.runR[run], L.Oh);
      if (u < 0) continue;
      const v = scnnOutput(L, ys[a], T.runQ[run], L.Ow);
      if (v < 0) continue;
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

/** Cost of one PE for one channel: Σ over buckets, activation groups and weight groups. */
export function peChannelCost(
  L: ScnnLayer,
  acts: ChannelActs,
  pe: number,
  tables: (BucketTables | null)[],
  interiorX: Uint8Array[],
  interiorY: Uint8Array[],
  totals: ScnnTotals,
): number {
  const { I, F } = L.cfg;
  const nb = L.s * L.s;
  const m = 4 * L.s;
  const { xs, ys } = acts;
  let cost = 0;
  for (let b = 0; b < nb; b++) {
    const T = tables[b];
    if (!T) continue;
    const aStart = acts.start[pe * nb + b];
    const aEnd = acts.start[pe * nb + b + 1];
    for (let g0 = aStart; g0 < aEnd; g0 += I) {
      const g1 = Math.min(g0 + I, aEnd);
      const nA = g1 - g0;
      let sum = 0;
      if (I > 4) {
        for (let h = 0; h < T.groups; h++) {
          const w0 = T.w0 + h * F;
          sum += exactCost(T, acts, g0, g1, w0, Math.min(w0 + F, T.w1), totals);
        }
      } else {
        let interior = true;
        for (let a = g0; a < g1; a++) {
          residues[a - g0] = (xs[a] % m) * m + (ys[a] % m);
          if (!interiorX[b][xs[a]] || !interiorY[b][ys[a]]) interior = false;
        }
        if (interior) {
          const key = residueKey(nA, T.R2);
          const known = T.memo.get(key);
          if (known !== undefined) {
            sum = known;
            totals.products += nA * (T.w1 - T.w0);
          } else {
            const before = totals.products;
            sum = T.useRuns ? groupSum(T, acts, g0, g1, totals) : interiorSweep(T, acts, g0, g1, totals);
            // exactCost inside the sweep may add products; every product of an interior group is valid anyway.
            totals.products = before + nA * (T.w1 - T.w0);
            T.memo.set(key, sum);
          }
        } else {
          sum = groupSum(T, acts, g0, g1, totals);
        }
      }
      cost += sum;
      totals.conflictCycles += sum - T.groups;
    }
  }
  return cost;
}

const sortedResidues = new Int32Array(4);

/** Order-free key of the first nA residues (the group's cost does not depend on the order of its activations). */
function residueKey(nA: number, R2: number): number {
  for (let i = 0; i < nA; i++) {
    const v = residues[i];
    let p = i - 1;
    while (p >= 0 && sortedResidues[p] > v) {
      sortedResidues[p + 1] = sortedResidues[p];
      p--;
    }
    sortedResidues[p + 1] = v;
  }
  let key = nA;
  for (let i = 0; i < nA; i++) key = key * R2 + sortedResidues[i];
  return key;
}
