/**
 * Cnvlutin's per-window totals (accelerators.md §9) without re-reading every element for each window:
 *
 * Subunit u walks its slice of ℓ channels at each kernel position (i, j) in turn and cuts that sequence into
 * fragments of F elements. With β = gcd(ℓ, F), the sequence is made of buckets of β consecutive slice
 * channels at one position, and every fragment is exactly F/β consecutive buckets. So the non-zero count of
 * each (position, bucket) is computed once per layer, and a window sums F/β bucket counts per fragment
 * instead of F mask entries (β = ℓ for the default slices of 16 | C channels and F = 16).
 */
import type { CnvlutinShape } from './cnvlutin';
import type { AccelLayerInput } from './types';

export interface CnvlutinWindowTotals {
  /** Σ over windows of the slowest subunit (one filter set). */
  cycles: number;
  /** Σ over windows of cdiv(Σ_u cost_u, subunits): the perfectly balanced cycles. */
  balanced: number;
  /** Effectual (above-threshold) activations read, Σ over windows. */
  nonZeros: number;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

interface Buckets {
  /** Buckets per position, over all subunits. */
  perPosition: number;
  /** Subunit u: first bucket, buckets per position, buckets per fragment. */
  first: Int32Array;
  count: Int32Array;
  perFragment: Int32Array;
  /** Effectual activations of bucket b at padded position p: counts[p·perPosition + b]. */
  counts: Uint16Array;
}

function bucketCounts(input: AccelLayerInput, L: CnvlutinShape, threshold: number): Buckets {
  const subunits = L.sliceStart.length - 1;
  const first = new Int32Array(subunits);
  const count = new Int32Array(subunits);
  const perFragment = new Int32Array(subunits);
  const bucketOf = new Int32Array(L.C);
  let perPosition = 0;
  for (let u = 0; u < subunits; u++) {
    const length = L.sliceStart[u + 1] - L.sliceStart[u];
    if (length === 0) continue;
    const beta = gcd(length, L.fragment);
    first[u] = perPosition;
    count[u] = length / beta;
    perFragment[u] = L.fragment / beta;
    for (let t = 0; t < length; t++)
      bucketOf[L.sliceChannels[L.sliceStart[u] + t]] = perPosition + Math.floor(t / beta);
    perPosition += count[u];
  }
  const { H, W, pad } = input.geometry;
  const Nh = H + 2 * pad;
  const counts = new Uint16Array(Nh * L.Nw * perPosition);
  const act = input.act;
  for (let c = 0; c < L.C; c++) {
    const b = bucketOf[c];
    for (let h = 0; h < H; h++) {
      const src = (c * H + h) * W;
      const dst = ((h + pad) * L.Nw + pad) * perPosition + b;
      // |a| > threshold, branch-free (zeros are data-random).
      for (let w = 0; w < W; w++)
        counts[dst + w * perPosition] += (threshold - Math.abs(act[src + w])) >>> 31;
    }
  }
  return { perPosition, first, count, perFragment, counts };
}

export function cnvlutinWindowTotals(
  input: AccelLayerInput,
  L: CnvlutinShape,
  threshold: number,
): CnvlutinWindowTotals {
  const { perPosition, first, count, perFragment, counts } = bucketCounts(input, L, threshold);
  const subunits = first.length;
  const E = L.emptyFragmentCycles;
  const windows = L.Oh * L.Ow;
  let cycles = 0;
  let balanced = 0;
  let nonZeros = 0;
  for (let n = 0; n < windows; n++) {
    const oh = n % L.Oh;
    const ow = Math.floor(n / L.Oh);
    let worst = 0;
    let sum = 0;
    for (let u = 0; u < subunits; u++) {
      const q = count[u];
      if (q === 0) continue;
      const r = perFragment[u];
      let cost = 0;
      let filled = 0;
      let nnz = 0;
      for (let i = 0; i < L.Kh; i++) {
        const rowBase = (L.stride * oh + i) * L.Nw + L.stride * ow;
        for (let j = 0; j < L.Kw; j++) {
          const base = (rowBase + j) * perPosition + first[u];
          for (let k = 0; k < q; k++) {
            nnz += counts[base + k];
            if (++filled === r) {
              // A fragment costs its non-zeros, or E when it has none.
              cost += nnz + E * (1 - Math.min(nnz, 1));
              nonZeros += nnz;
              filled = 0;
              nnz = 0;
            }
          }
        }
      }
      if (filled > 0) {
        cost += nnz + E * (1 - Math.min(nnz, 1));
        nonZeros += nnz;
      }
      sum += cost;
      worst = Math.max(worst, cost);
    }
    cycles += worst;
    balanced += Math.floor((sum + subunits - 1) / subunits);
  }
  return { cycles, balanced, nonZeros };
}
