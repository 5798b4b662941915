/**
 * Weight groups of one SCNN bucket (accelerators.md §10) with the look-up structures of the fast group cost
 * (see scnnGroups.ts): residue tables of bank masks, and runs of groups at one kernel position with their
 * memoised sums per activation pattern.
 *
 * Bank structure: bank(k, u, v) = kpart(k) XOR uvpart(u, v) with kpart = bits {4, 1, 0} from k mod 8 and
 * uvpart = bits {4, 3, 2} from (u1 ^ v1, u0, v0) (the three added terms of the DNNsim formula occupy disjoint
 * bits). Two products collide only if their weights agree on k mod 4 and their activations on (u0, v0); bit 4
 * then pairs a weight with k2 = 0 with activations of one bit-4 value and k2 = 1 with the other.
 */
import { cdiv } from '../types';
import type { ScnnLayer, WeightGroups } from './scnnLayer';

/** Unordered (lo, hi) counts of one (u0, v0) class split by bit-4 value, lo + hi ≤ 4 (I ≤ 4). */
export const PAIR_TYPES: readonly (readonly [number, number])[] = [
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
export const PAIR_INDEX = (() => {
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
