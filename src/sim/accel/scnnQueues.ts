/**
 * The literal SCNN queues of accelerators.md §10 for one tile, as the trace replays them: each PE's non-zero
 * activations per bucket (x-outer / y-inner) and the bucket's non-zero weights (r / q / k order).
 */
import { filtersOf } from './scnnFilters';
import { weightBucket, type ScnnLayer } from './scnnLayer';

/** Non-zero activations of one channel, per PE and bucket, in x-outer / y-inner order. */
export interface ChannelActs {
  /** Acts of (pe, bucket) at [start[pe·s² + b], start[pe·s² + b + 1]). */
  start: Int32Array;
  xs: Int32Array;
  ys: Int32Array;
}

export function channelActs(L: ScnnLayer, c: number): ChannelActs {
  const { Pg, s } = { Pg: L.cfg.Pg, s: L.s };
  const nb = s * s;
  const counts = new Int32Array(Pg * Pg * nb + 1);
  const plane = L.act.subarray(c * L.Xe * L.Ye, (c + 1) * L.Xe * L.Ye);
  for (let x = 0; x < L.Xe; x++)
    for (let y = 0; y < L.Ye; y++)
      if (plane[x * L.Ye + y])
        counts[(Math.floor(x / L.tw) * Pg + Math.floor(y / L.th)) * nb + (x % s) * s + (y % s) + 1]++;
  for (let i = 1; i < counts.length; i++) counts[i] += counts[i - 1];
  const fill = counts.slice(0, counts.length - 1);
  const xs = new Int32Array(counts[counts.length - 1]);
  const ys = new Int32Array(xs.length);
  // Within one PE, x-outer / y-inner order over the tile; scanning the whole plane by PE keeps that order.
  for (let px = 0; px < Pg; px++)
    for (let py = 0; py < Pg; py++)
      for (let x = px * L.tw; x < px * L.tw + L.tw; x++)
        for (let y = py * L.th; y < py * L.th + L.th; y++)
          if (plane[x * L.Ye + y]) {
            const slot = (px * Pg + py) * nb + (x % s) * s + (y % s);
            xs[fill[slot]] = x;
            ys[fill[slot]++] = y;
          }
  return { start: counts, xs, ys };
}

/** Non-zero weights of one (channel, output-channel group), per bucket, in r / q / k order, cut into groups of F. */
export interface WeightGroups {
  /** Weights of bucket b at [start[b], start[b + 1]); group h of the bucket = [start[b] + hF, ...). */
  start: Int32Array;
  ks: Int32Array;
  rs: Int32Array;
  qs: Int32Array;
  /** Per bucket: all taps of the bucket (incl. zero weights) × filters of the group, for the dense count. */
  denseCount: Int32Array;
}

export function weightGroups(L: ScnnLayer, c: number, k0: number, k1: number): WeightGroups {
  const nb = L.s * L.s;
  const start = new Int32Array(nb + 1);
  const denseCount = new Int32Array(nb);
  const taps = L.Kh * L.Kw;
  const filters = Array.from({ length: taps }, (_, t) => filtersOf(L.filters, c * taps + t, k0, k1));
  const bucketOf = (t: number) => weightBucket(L, Math.floor(t / L.Kw)) * L.s + weightBucket(L, t % L.Kw);
  for (let t = 0; t < taps; t++) {
    denseCount[bucketOf(t)] += k1 - k0;
    start[bucketOf(t) + 1] += filters[t].length;
  }
  for (let b = 0; b < nb; b++) start[b + 1] += start[b];
  const fill = start.slice(0, nb);
  const total = start[nb];
  const ks = new Int32Array(total);
  const rs = new Int32Array(total);
  const qs = new Int32Array(total);
  for (let t = 0; t < taps; t++) {
    const b = bucketOf(t);
    for (const k of filters[t]) {
      ks[fill[b]] = k;
      rs[fill[b]] = Math.floor(t / L.Kw);
      qs[fill[b]++] = t % L.Kw;
    }
  }
  return { start, ks, rs, qs, denseCount };
}
