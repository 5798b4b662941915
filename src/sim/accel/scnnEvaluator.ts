/**
 * Per-PE cost of SCNN (accelerators.md §10) for one (input channel, filter group): Σ over the PE's activation
 * groups and the weight groups of their bucket of max(1, busiest bank). It is evaluated per activation profile
 * (scnnProfiles.ts, built once per channel) against the bucket's weight groups (scnnWeights.ts): every group
 * costs at least 1; a kernel position's pure groups add their class's memoised extra cost where the profile
 * has valid activations; a mixed group adds its literal count − 1. Whole profile costs are memoised by bucket
 * shape and mixed-group costs by group (scnnMemo.ts), since both repeat when weights are dense.
 */
import { IntList } from './intBuffers';
import { axisClasses } from './scnnAxes';
import type { ScnnLayer } from './scnnLayer';
import { CostMemo } from './scnnMemo';
import { ScnnProfiles } from './scnnProfiles';
import { Signatures } from './scnnSignatures';
import { BucketWeights } from './scnnWeights';

/** Indices of ScnnEvaluator.sums. */
export const PRODUCTS = 0;
export const CONFLICTS = 1;
export const MULTIPLIED = 2;

export class ScnnEvaluator {
  readonly profiles: ScnnProfiles;
  /** Per PE: cost of the loaded channel against the last evaluated filter group. */
  readonly peCost: Float64Array;
  /** Running sums over evaluate calls: [PRODUCTS], [CONFLICTS], [MULTIPLIED] (see ScnnTotals). */
  readonly sums = new Float64Array(3);
  private readonly weights: BucketWeights[] = [];
  private readonly bankCount = new Int32Array(32);
  private readonly bankStamp = new Int32Array(32);
  /** Bank of each kPart ^ uvPart value (below 32). */
  private readonly bankOf: Int32Array;
  private cost = new Float64Array(64);
  /** Loaded channel: groups per profile, and valid activations per (bucket, kernel position). */
  private multiplicity = new Float64Array(64);
  private readonly validAt: Float64Array[] = [];
  private channel = -1;
  /** Profile costs by bucket shape, and by mixed group. */
  private readonly shapes = new CostMemo();
  private readonly mixed = new CostMemo();
  /** Per bucket: memo id of each mixed group for the current filter group. */
  private readonly mixedIds: IntList[] = [];
  /** Shape of each bucket for the current filter group (−1: no weights). */
  private readonly shape: Int32Array;

  constructor(L: ScnnLayer) {
    const s = L.s;
    const X = axisClasses(L, L.Xe, L.Kh, L.Oh);
    const Y = axisClasses(L, L.Ye, L.Kw, L.Ow);
    this.profiles = new ScnnProfiles(L, X, Y);
    this.peCost = new Float64Array(L.cfg.Pg * L.cfg.Pg);
    this.shape = new Int32Array(s * s);
    this.bankOf = Int32Array.from({ length: 32 }, (_, v) => v % L.cfg.banks);
    const sigs = new Signatures(L.cfg.F, L.cfg.banks);
    for (let b = 0; b < s * s; b++) {
      const { offsets: rs, offsetStart: rStart } = X;
      const { offsets: qs, offsetStart: qStart } = Y;
      const sx = Math.floor(b / s);
      const sy = b % s;
      const taps: number[] = [];
      for (let i = rStart[sx]; i < rStart[sx + 1]; i++)
        for (let j = qStart[sy]; j < qStart[sy + 1]; j++) taps.push(rs[i] * L.Kw + qs[j]);
      this.weights.push(new BucketWeights(L, sigs, Int32Array.from(taps)));
      this.validAt.push(new Float64Array(taps.length));
      this.mixedIds.push(new IntList());
    }
  }

  /** Prepares input channel c (its activation profiles serve every filter group). */
  load(c: number): void {
    this.channel = c;
    const P = this.profiles;
    P.load(c);
    if (this.multiplicity.length < P.count) this.multiplicity = new Float64Array(2 * P.count);
    const groupProfile = P.groupProfile.data;
    for (let i = 0; i < P.used.length; i++) this.multiplicity[P.used.data[i]] = 0;
    for (let g = 0; g < P.groupProfile.length; g++) this.multiplicity[groupProfile[g]]++;
    // Valid activations per kernel position of each bucket, over all groups: the products of any filter group.
    for (const v of this.validAt) v.fill(0);
    for (let i = 0; i < P.used.length; i++) {
      const p = P.used.data[i];
      const valid = this.validAt[P.bucketOf.data[p]];
      for (let e = P.entStart.data[p]; e < P.entStart.data[p + 1]; e++)
        valid[P.entTap.data[e]] += this.multiplicity[p] * P.entValid.data[e];
    }
  }

  /** Fills peCost for filters [k0, k1) of the loaded channel; adds to the products, conflicts and multiplied sums. */
  evaluate(k0: number, k1: number): Float64Array {
    this.fillWeights(k0, k1);
    this.profileCosts();
    this.peSums();
    return this.peCost;
  }

  private fillWeights(k0: number, k1: number): void {
    const { weights, sums } = this;
    for (let b = 0; b < weights.length; b++) {
      const W = weights[b];
      W.fill(this.channel, k0, k1);
      const valid = this.validAt[b];
      for (let t = 0; t < W.nW.length; t++) sums[PRODUCTS] += W.nW[t] * valid[t];
      this.shape[b] = -1;
      if (W.N > 0) {
        this.shapes.key.clear();
        W.writeShape(this.shapes.key);
        this.shape[b] = this.shapes.idOf();
      }
      const ids = this.mixedIds[b];
      ids.clear();
      const start = W.mixedStart.data;
      for (let g = 0; g < W.mixedGroups; g++)
        ids.push(this.mixed.idOf(W.mixedWeight.data, start[g + 1] - start[g], start[g]));
    }
  }

  /** Cost of every profile of the channel, from the shape memo or computed. */
  private profileCosts(): void {
    const { profiles: P, weights, sums } = this;
    if (this.cost.length < P.count) this.cost = new Float64Array(2 * P.count);
    const used = P.used.data;
    const bucketOf = P.bucketOf.data;
    for (let i = 0; i < P.used.length; i++) {
      const p = used[i];
      const b = bucketOf[p];
      const shape = this.shape[b];
      if (shape < 0) {
        this.cost[p] = 0;
        continue;
      }
      let cost = this.shapes.get(shape, p);
      if (cost === 0) {
        cost = this.profileCost(p, weights[b]);
        this.shapes.set(shape, p, cost, P.count);
      }
      this.cost[p] = cost;
      sums[CONFLICTS] += this.multiplicity[p] * (cost - weights[b].groups);
    }
  }

  private peSums(): void {
    const { profiles: P, weights, sums, cost } = this;
    const nb = weights.length;
    const { peStart, cellActs } = P;
    const groupProfile = P.groupProfile.data;
    for (let pe = 0; pe < this.peCost.length; pe++) {
      let sum = 0;
      for (let g = peStart[pe]; g < peStart[pe + 1]; g++) sum += cost[groupProfile[g]];
      this.peCost[pe] = sum;
      for (let b = 0; b < nb; b++) sums[MULTIPLIED] += cellActs[pe * nb + b] * weights[b].N;
    }
  }

  /** Σ over the weight groups of W of max(1, busiest bank) for the activations of profile p. */
  private profileCost(p: number, W: BucketWeights): number {
    const P = this.profiles;
    const { memoRow, sigs } = W;
    const memo = sigs.memo;
    const entTap = P.entTap.data;
    const entKey = P.entKey.data;
    let cost = W.groups;
    const end = P.entStart.data[p + 1];
    for (let e = P.entStart.data[p]; e < end; e++) {
      const t = entTap[e];
      const row = memoRow[t];
      const key = entKey[e];
      const known = row >= 0 && key >= 0 ? memo[row + key] : 0;
      cost +=
        known !== 0
          ? known - 1
          : sigs.extra(W.tapClass[t], P.codes.data, P.entCode.data[e], P.entValid.data[e], key);
    }
    if (W.mixedGroups > 0) cost += this.mixedExtra(p, W, this.mixedIds[this.profiles.bucketOf.data[p]]);
    return cost;
  }

  /**
   * Σ over the mixed groups of W (memo ids `ids`) of (literal cost − 1) for profile p. Both lists are in
   * kernel-position order, so one walk over the profile's entries finds the valid activations' codes at each
   * weight's position.
   */
  private mixedExtra(p: number, W: BucketWeights, ids: IntList): number {
    const P = this.profiles;
    const { bankCount: count, bankStamp: stamp, bankOf } = this;
    stamp.fill(0);
    const entTap = P.entTap.data;
    const entCode = P.entCode.data;
    const entValid = P.entValid.data;
    const codes = P.codes.data;
    const start = W.mixedStart.data;
    const weights = W.mixedWeight.data;
    const end = P.entStart.data[p + 1];
    let e = P.entStart.data[p];
    let extra = 0;
    for (let g = 0; g < W.mixedGroups; g++) {
      let cost = this.mixed.get(ids.data[g], p);
      if (cost === 0) {
        // Bank counts of this group live where stamp[bank] = g + 1 (no clearing between groups).
        let best = 0;
        for (let w = start[g]; w < start[g + 1]; w++) {
          const tap = weights[w] >> 5;
          while (e < end && entTap[e] < tap) e++;
          if (e === end || entTap[e] !== tap) continue;
          for (let i = entCode[e]; i < entCode[e] + entValid[e]; i++) {
            const bank = bankOf[codes[i] ^ (weights[w] & 31)];
            if (stamp[bank] !== g + 1) {
              stamp[bank] = g + 1;
              count[bank] = 0;
            }
            if (++count[bank] > best) best = count[bank];
          }
        }
        cost = Math.max(1, best);
        this.mixed.set(ids.data[g], p, cost, P.count);
      }
      extra += cost - 1;
    }
    return extra;
  }
}
