export interface KMeansOptions {
  /** Codebook bits b: 2^b entries. */
  bits: number;
  /** EIE format: 2^b − 1 centroids, index 0 reserved for the exact value 0.0. */
  reserveZeroCode?: boolean;
  maxIter?: number;
}

export interface KMeansResult {
  /** Shared weights: centroid values, exact zeros where the input was zero. */
  values: Float32Array;
  /** Codebook as indexed by `index` (with reserveZeroCode, entry 0 is 0.0). Empty if every weight is zero. */
  codebook: number[];
  /** Codebook index per weight; −1 for zeros kept outside the codebook (no reserveZeroCode). */
  index: Int32Array;
  initialCentroids: number[];
  iterations: number;
}

/** Linear initialisation over [min, max] of the non-zero weights (§10); a single centroid starts at the mean. */
export function linearInit(xs: ArrayLike<number>, k: number): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    lo = Math.min(lo, xs[i]);
    hi = Math.max(hi, xs[i]);
    sum += xs[i];
  }
  if (k === 1) return [sum / xs.length];
  const c: number[] = [];
  for (let j = 0; j < k; j++) c.push(lo + (j * (hi - lo)) / (k - 1));
  return c;
}

/**
 * Nearest centroid of every value of `ascending` (sorted, distinct), ties to the lower centroid index —
 * equal to the brute-force argmin over j. |x − c| is monotone in c on each side of x, so only the
 * neighbours of x in value order and their equal-distance runs can win; and since the values ascend, the
 * neighbour position only moves forward (one sweep instead of a search per weight).
 */
function nearestCentroids(ascending: Float64Array, c: number[]): Int32Array {
  const k = c.length;
  const order = c.map((_, j) => j).sort((a, b) => c[a] - c[b] || a - b);
  const sorted = order.map((j) => c[j]);
  const out = new Int32Array(ascending.length);
  let lo = 0;
  for (let u = 0; u < ascending.length; u++) {
    const x = ascending[u];
    while (lo < k && sorted[lo] < x) lo++;
    // sorted[lo - 1] < x <= sorted[lo]
    let best = Infinity;
    if (lo > 0) best = x - sorted[lo - 1];
    if (lo < k) best = Math.min(best, sorted[lo] - x);
    let bestIndex = k;
    for (let p = lo - 1; p >= 0 && Math.abs(x - sorted[p]) === best; p--)
      bestIndex = Math.min(bestIndex, order[p]);
    for (let p = lo; p < k && Math.abs(x - sorted[p]) === best; p++)
      bestIndex = Math.min(bestIndex, order[p]);
    out[u] = bestIndex;
  }
  return out;
}

/** Distinct values in ascending order and, per input, the position of its value among them. */
function distinctValues(xs: Float64Array): { ascending: Float64Array; rank: Int32Array } {
  const sorted = Float64Array.from(xs).sort();
  let u = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[u - 1]) sorted[u++] = sorted[i];
  const ascending = sorted.slice(0, u);
  const rank = new Int32Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    let a = 0;
    let b = u - 1;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (ascending[mid] < xs[i]) a = mid + 1;
      else b = mid;
    }
    rank[i] = a;
  }
  return { ascending, rank };
}

/**
 * Deep Compression weight sharing, quantization.md §10: 1-D k-means (Lloyd) over the non-zero weights in flat
 * order. Zeros never enter the codebook, so pruned weights stay exactly zero.
 */
export function kmeansShare(w: ArrayLike<number>, opts: KMeansOptions): KMeansResult {
  const { bits } = opts;
  if (!Number.isInteger(bits) || bits < 1) throw new Error(`weight sharing needs b >= 1 bits, got ${bits}`);
  const reserve = opts.reserveZeroCode ?? false;
  const maxIter = opts.maxIter ?? 100;
  const k = reserve ? 2 ** bits - 1 : 2 ** bits;
  const positions: number[] = [];
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) positions.push(i);
  const xs = Float64Array.from(positions, (i) => w[i]);
  const values = new Float32Array(w.length);
  const index = new Int32Array(w.length).fill(reserve ? 0 : -1);
  if (xs.length === 0) return { values, codebook: [], index, initialCentroids: [], iterations: 0 };

  const c = linearInit(xs, k);
  const initialCentroids = [...c];
  const assign = new Int32Array(xs.length);
  // the assignment depends only on the value: solve it once per distinct value
  const { ascending, rank } = distinctValues(xs);
  let iterations = 0;
  for (let iter = 0; iter < maxIter; iter++) {
    iterations++;
    const nearest = nearestCentroids(ascending, c);
    let changed = false;
    for (let i = 0; i < xs.length; i++) {
      const j = nearest[rank[i]];
      if (j !== assign[i]) changed = true;
      assign[i] = j;
    }
    if (iter > 0 && !changed) break;
    const sums = new Float64Array(k);
    const counts = new Int32Array(k);
    for (let i = 0; i < xs.length; i++) {
      sums[assign[i]] += xs[i];
      counts[assign[i]]++;
    }
    for (let j = 0; j < k; j++) if (counts[j] > 0) c[j] = sums[j] / counts[j];
  }
  const shift = reserve ? 1 : 0;
  for (let i = 0; i < xs.length; i++) {
    values[positions[i]] = c[assign[i]];
    index[positions[i]] = assign[i] + shift;
  }
  return { values, codebook: reserve ? [0, ...c] : [...c], index, initialCentroids, iterations };
}
