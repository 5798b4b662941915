/**
 * The non-zero filters of each tap of an SCNN layer (accelerators.md §10), stored as their complement: the
 * filters [0, K) minus the tap's zero filters. Weights are mostly non-zero, so one native search over them
 * finds the zeros and nothing of weight size is written; stretches of consecutive non-zero filters are what
 * the weight groups are cut from (scnnWeights.ts).
 */

export interface TapFilters {
  K: number;
  /** Non-zero filters per tap slot (FC padding slots have none). */
  count: Int32Array;
  /** Zero filters of tap t < taps, ascending: zeroK[zeroStart[t] .. zeroStart[t + 1]). */
  zeroStart: Int32Array;
  zeroK: Int32Array;
}

/** Filter k's weights are wgt[k·taps ..] in tap order; `slots` ≥ taps includes the FC padding. */
export function tapFilters(wgt: Int32Array, K: number, taps: number, slots: number): TapFilters {
  const zeros: number[] = [];
  for (let i = wgt.indexOf(0); i >= 0; i = wgt.indexOf(0, i + 1)) zeros.push(i);
  const zeroStart = new Int32Array(taps + 1);
  for (const i of zeros) zeroStart[(i % taps) + 1]++;
  const count = new Int32Array(slots);
  for (let t = 0; t < taps; t++) {
    count[t] = K - zeroStart[t + 1];
    zeroStart[t + 1] += zeroStart[t];
  }
  const zeroK = new Int32Array(zeros.length);
  const fill = zeroStart.slice(0, taps);
  // k-major order of the scan keeps each tap's zeros ascending.
  for (const i of zeros) zeroK[fill[i % taps]++] = Math.floor(i / taps);
  return Object.assign(new Filters(), { K, count, zeroStart, zeroK });
}

/** Number of zero filters of tap t below k. */
export function zerosBelow(f: TapFilters, t: number, k: number): number {
  let a = f.zeroStart[t];
  let b = f.zeroStart[t + 1];
  const from = a;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (f.zeroK[mid] < k) a = mid + 1;
    else b = mid;
  }
  return a - from;
}

/** Walks the non-zero filters of one tap in [k0, k1), ascending, stretch by stretch. */
export class FilterCursor {
  private zeroK: Int32Array = new Int32Array(0);
  private cur = 0;
  private zero = 0;
  private zeroEnd = 0;
  private end = 0;
  private stretchEnd = 0;

  reset(f: TapFilters, t: number, k0: number, k1: number): void {
    this.zeroK = f.zeroK;
    this.cur = k0;
    this.zero = f.zeroStart[t] + zerosBelow(f, t, k0);
    this.zeroEnd = f.zeroStart[t] + zerosBelow(f, t, k1);
    this.end = k1;
    this.skipZeros();
  }

  /** The next non-zero filter. */
  next(): number {
    const k = this.cur++;
    if (this.cur === this.stretchEnd) this.skipZeros();
    return k;
  }

  /** The next filter, first of a stretch of `run` consecutive non-zero filters. */
  get current(): number {
    return this.cur;
  }

  get run(): number {
    return this.stretchEnd - this.cur;
  }

  /** Skips n ≤ run filters. */
  advance(n: number): void {
    this.cur += n;
    if (this.cur === this.stretchEnd) this.skipZeros();
  }

  private skipZeros(): void {
    while (this.zero < this.zeroEnd && this.cur === this.zeroK[this.zero]) {
      this.cur++;
      this.zero++;
    }
    this.stretchEnd = this.zero < this.zeroEnd ? this.zeroK[this.zero] : this.end;
  }
}

/** Non-zero filters of tap t in [k0, k1), ascending. */
export function filtersOf(f: TapFilters, t: number, k0: number, k1: number): Int32Array {
  if (f.count[t] === 0) return new Int32Array(0);
  const out = new Int32Array(k1 - k0 - (zerosBelow(f, t, k1) - zerosBelow(f, t, k0)));
  const cursor = new FilterCursor();
  cursor.reset(f, t, k0, k1);
  for (let i = 0; i < out.length; i++) out[i] = cursor.next();
  return out;
}

/** A class instance rather than a literal, for the reason given at PreparedLayer (scnnLayer.ts). */
class Filters {}
