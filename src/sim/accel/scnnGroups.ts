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
  /** Banks hit at least twice by the group for that residue. */
  residueTwice: Int32Array = EMPTY_MASKS;
  /** 1 where some bank is hit three or more times (then the literal count is used). */
  residueOver: Uint8Array = EMPTY_DUPS;
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
      this.residueTwice = new Int32Array(this.groups * this.R2);
      this.residueOver = new Uint8Array(this.groups * this.R2);
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
    let twice = 0;
    let over = 0;
    for (let w = a; w < b; w++) {
      const u = L.lowBits[(W.rs[w] % m) * m + xm];
      const v = L.lowBits[(W.qs[w] % m) * m + ym];
      const bit = 1 << L.bankOfLow[(W.ks[w] & 7) * 16 + u * 4 + v];
      if (twice & bit) over = 1;
      else if (bits & bit) twice |= bit;
      bits |= bit;
    }
    this.residueMask[t] = bits;
    this.residueTwice[t] = twice;
    this.residueOver[t] = over;
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
    const groups = this.runEnd[i] - this.runStart[i];
    for (let h = 0; h < groups; h++) {
      const a = this.w0 + (this.runStart[i] + h) * F;
      const b = Math.min(a + F, this.w1);
      // Histogram of k mod 8 packed 4 bits per value: bin g + 4 counts k2 = 1.
      let packed = 0;
      for (let w = a; w < b; w++) packed += 1 << ((W.ks[w] & 7) << 2);
      let best = 0;
      for (let g = 0; g < 4; g++) {
        const alpha = (packed >>> (g << 2)) & 15;
        const beta = (packed >>> ((g + 4) << 2)) & 15;
        const x = alpha * lo + beta * hi;
        const y = alpha * hi + beta * lo;
        if (x > best) best = x;
        if (y > best) best = y;
      }
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

/**
 * Activation groups of one channel, prepared once and reused for every output-channel group. Interior groups
 * (all products valid) are reduced to distinct residue keys, each with a representative group, and per-PE
 * counts of each key; the other ("edge") groups are listed by their first activation.
 */
export interface ChannelPlan {
  /** Per bucket: representative first activation and size of each distinct interior key. */
  repStart: Int32Array[];
  repSize: Int32Array[];
  /** Per (pe, bucket) i = pe·nb + b: key ids and counts at [keyOff[i], keyOff[i + 1]). */
  keyOff: Int32Array;
  keyId: Int32Array;
  keyCount: Int32Array;
  /** Per (pe, bucket): first activations of the edge groups at [edgeOff[i], edgeOff[i + 1]). */
  edgeOff: Int32Array;
  edgeStart: Int32Array;
}

export function buildChannelPlan(
  L: ScnnLayer,
  acts: ChannelActs,
  interiorX: Uint8Array[],
  interiorY: Uint8Array[],
): ChannelPlan {
  const { I, Pg } = L.cfg;
  const nb = L.s * L.s;
  const m = 4 * L.s;
  const R2 = m * m;
  const { xs, ys } = acts;
  const cells = Pg * Pg * nb;
  const keyOff = new Int32Array(cells + 1);
  const edgeOff = new Int32Array(cells + 1);
  const keyId: number[] = [];
  const keyCount: number[] = [];
  const edgeStart: number[] = [];
  const keyMaps = Array.from({ length: nb }, () => new KeyTable());
  const repStart: number[][] = Array.from({ length: nb }, () => []);
  const repSize: number[][] = Array.from({ length: nb }, () => []);
  // Keys (count, 4 sorted residues) must stay below 2^31 for KeyTable: strides up to 2.
  const memoable = I <= 4 && 5 * R2 ** 4 < 2 ** 31;
  const local = new Int32Array(Math.max(1, Math.ceil(acts.xs.length / I)));
  let nLocal = 0;
  for (let pe = 0; pe < Pg * Pg; pe++)
    for (let b = 0; b < nb; b++) {
      const cell = pe * nb + b;
      keyOff[cell] = keyId.length;
      edgeOff[cell] = edgeStart.length;
      const aStart = acts.start[cell];
      const aEnd = acts.start[cell + 1];
      nLocal = 0;
      for (let g0 = aStart; g0 < aEnd; g0 += I) {
        const g1 = Math.min(g0 + I, aEnd);
        let interior = memoable;
        for (let a = g0; a < g1 && interior; a++) {
          residues[a - g0] = (xs[a] % m) * m + (ys[a] % m);
          if (!interiorX[b][xs[a]] || !interiorY[b][ys[a]]) interior = false;
        }
        if (!interior) {
          edgeStart.push(g0);
          continue;
        }
        const key = residueKey(g1 - g0, R2);
        let id = keyMaps[b].get(key);
        if (id < 0) {
          id = repStart[b].length;
          keyMaps[b].set(key, id);
          repStart[b].push(g0);
          repSize[b].push(g1 - g0);
        }
        local[nLocal++] = id;
      }
      const ids = local.subarray(0, nLocal).sort();
      for (let i = 0; i < nLocal;) {
        let j = i;
        while (j < nLocal && ids[j] === ids[i]) j++;
        keyId.push(ids[i]);
        keyCount.push(j - i);
        i = j;
      }
    }
  keyOff[cells] = keyId.length;
  edgeOff[cells] = edgeStart.length;
  return {
    repStart: repStart.map((r) => Int32Array.from(r)),
    repSize: repSize.map((r) => Int32Array.from(r)),
    keyOff,
    keyId: Int32Array.from(keyId),
    keyCount: Int32Array.from(keyCount),
    edgeOff,
    edgeStart: Int32Array.from(edgeStart),
  };
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

/** Open-addressing map from integer keys in [0, 2^31) to non-negative ids; −1 = absent. */
class KeyTable {
  private keys = new Int32Array(64).fill(-1);
  private ids = new Int32Array(64);
  private size = 0;

  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let i = (Math.imul(key, 0x9e3779b1) >>> 8) & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i];
      if (k === key) return this.ids[i];
      if (k < 0) return -1;
    }
  }

  set(key: number, id: number): void {
    if (2 * (this.size + 1) > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let i = (Math.imul(key, 0x9e3779b1) >>> 8) & mask;
    while (this.keys[i] >= 0 && this.keys[i] !== key) i = (i + 1) & mask;
    if (this.keys[i] < 0) this.size++;
    this.keys[i] = key;
    this.ids[i] = id;
  }

  private grow(): void {
    const keys = this.keys;
    const ids = this.ids;
    this.keys = new Int32Array(keys.length * 2).fill(-1);
    this.ids = new Int32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] >= 0) this.set(keys[i], ids[i]);
  }
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
