/**
 * SCNN layer preparation and the literal pieces of accelerators.md §10 (DNNsim semantics): parameters, FC
 * reshaping, padding and zero extension to the PE grid, activation and weight queues per bucket, the
 * accumulator bank map and the per-group cost exactly as the pseudo-code states it.
 */
import { cdiv } from '../types';
import { padActivations } from './grid';
import { readBool, readEnum, readInt } from './sparseParams';
import type { AccelLayerInput, ParamSpec, Params } from './types';

export type ScnnMode = 'dnnsim' | 'geometric';

export const SCNN_PARAMS: readonly ParamSpec[] = [
  {
    name: 'peGrid',
    type: 'int',
    default: 8,
    min: 1,
    max: 64,
    description: 'PE grid Pg × Pg (DNNsim Wt = Ht)',
  },
  {
    name: 'I',
    type: 'int',
    default: 4,
    min: 1,
    max: 64,
    description: 'Non-zero activations per PE per cycle',
  },
  { name: 'F', type: 'int', default: 4, min: 1, max: 64, description: 'Non-zero weights per PE per cycle' },
  {
    name: 'accEntries',
    type: 'int',
    default: 1024,
    min: 1,
    max: 1 << 20,
    description: 'Accumulator entries per PE (sets the output-channel group Kc)',
  },
  { name: 'banks', type: 'int', default: 32, min: 1, max: 1024, description: 'Accumulator banks per PE' },
  {
    name: 'zeroCount',
    type: 'boolean',
    default: true,
    description:
      'Potential: a product with a zero operand counts 1 bit product (DNNsim ZERO_COUNT) instead of 0',
  },
  {
    name: 'mode',
    type: 'enum',
    default: 'dnnsim',
    options: ['dnnsim', 'geometric'],
    description: "'dnnsim' reproduces the reference's stride quirks; 'geometric' pairs x ≡ r (mod s) exactly",
  },
];

export interface ScnnConfig {
  Pg: number;
  I: number;
  F: number;
  accEntries: number;
  banks: number;
  zeroCount: boolean;
  mode: ScnnMode;
}

export function readScnnConfig(params: Params): ScnnConfig {
  return {
    Pg: readInt(SCNN_PARAMS, params, 'peGrid'),
    I: readInt(SCNN_PARAMS, params, 'I'),
    F: readInt(SCNN_PARAMS, params, 'F'),
    accEntries: readInt(SCNN_PARAMS, params, 'accEntries'),
    banks: readInt(SCNN_PARAMS, params, 'banks'),
    zeroCount: readBool(SCNN_PARAMS, params, 'zeroCount'),
    mode: readEnum<ScnnMode>(SCNN_PARAMS, params, 'mode'),
  };
}

/** The layer as SCNN runs it (FC reshaped to a 16 × 16 conv), padded and zero-extended to the PE grid. */
export interface ScnnLayer {
  cfg: ScnnConfig;
  C: number;
  K: number;
  Kh: number;
  Kw: number;
  s: number;
  pad: number;
  Oh: number;
  Ow: number;
  /** Extended plane Xe × Ye (multiples of Pg) and PE tile tw × th. */
  Xe: number;
  Ye: number;
  tw: number;
  th: number;
  Kc: number;
  /** Non-zero activation mask [C][Xe][Ye]. */
  act: Uint8Array;
  /**
   * Non-zero weights by tap t = (c·Kh + r)·Kw + q: filters tapK[tapStart[t] .. tapStart[t + 1]), ascending.
   * (For an FC layer t is the input index.)
   */
  tapStart: Int32Array;
  tapK: Int32Array;
  /** With m = 4s: lowBits[(r mod m)·m + (x mod m)] = floor(((x − r) mod m) / s) = (output coordinate) mod 4 for x ≥ r. */
  lowBits: Int32Array;
  /** bankOfLow[(k mod 8)·16 + (u mod 4)·4 + (v mod 4)] = bank of output (k, u, v). */
  bankOfLow: Int32Array;
}

/** DNNsim's accumulator bank of output (k, u, v); only bits 0–2 of k and 0–1 of u, v matter. */
export function scnnBank(k: number, u: number, v: number, banks: number): number {
  return (
    ((((k & 4) << 2) ^ ((u & 2) << 3) ^ ((v & 2) << 3)) + ((u & 1) << 3) + ((v & 1) << 2) + (k & 3)) % banks
  );
}

export function prepareScnn(input: AccelLayerInput, cfg: ScnnConfig): ScnnLayer {
  const g = input.geometry;
  let C: number, H: number, W: number, Kh: number, Kw: number, s: number, pad: number;
  let actCHW: Int32Array;
  if (g.kind === 'fc') {
    // DNNsim: pad C to a multiple of 256, reshape the vector to (C/256) × 16 × 16 and each filter likewise.
    C = cdiv(g.C, 256);
    H = W = Kh = Kw = 16;
    s = 1;
    pad = 0;
    actCHW = new Int32Array(C * 256);
    actCHW.set(input.act);
  } else {
    ({ C, H, W, Kh, Kw, stride: s, pad } = g);
    actCHW = padActivations(input.act, C, H, W, pad);
    H += 2 * pad;
    W += 2 * pad;
  }
  // Filter k's weights are input.wgt[k·taps ..] in tap order (FC: input order) in both cases.
  const taps = g.C * g.Kh * g.Kw;
  const tapStart = new Int32Array(C * Kh * Kw + 1);
  for (let k = 0; k < g.K; k++) {
    const base = k * taps;
    for (let t = 0; t < taps; t++) {
      const w = input.wgt[base + t];
      tapStart[t + 1] += (w | -w) >>> 31; // 1 for any non-zero int32, branch-free
    }
  }
  for (let t = 0; t < C * Kh * Kw; t++) tapStart[t + 1] += tapStart[t];
  const fill = tapStart.slice(0, C * Kh * Kw);
  const tapK = new Int32Array(tapStart[C * Kh * Kw]);
  // Blocks of taps keep the scattered writes to a few dozen streams (cache-friendly transposition).
  for (let t0 = 0; t0 < taps; t0 += 64) {
    const t1 = Math.min(t0 + 64, taps);
    for (let k = 0; k < g.K; k++) {
      const base = k * taps;
      for (let t = t0; t < t1; t++) if (input.wgt[base + t] !== 0) tapK[fill[t]++] = k;
    }
  }
  const X = H;
  const Y = W;
  const Oh = Math.floor((X - Kh) / s) + 1;
  const Ow = Math.floor((Y - Kw) / s) + 1;
  const { Pg } = cfg;
  const Kc = Math.max(1, Math.floor(cfg.accEntries / (cdiv(Oh, Pg) * cdiv(Ow, Pg))));
  const Xe = cdiv(X, Pg) * Pg;
  const Ye = cdiv(Y, Pg) * Pg;
  const act = new Uint8Array(C * Xe * Ye);
  for (let c = 0; c < C; c++)
    for (let x = 0; x < X; x++)
      for (let y = 0; y < Y; y++) act[(c * Xe + x) * Ye + y] = actCHW[(c * X + x) * Y + y] !== 0 ? 1 : 0;
  const m = 4 * s;
  const lowBits = new Int32Array(m * m);
  for (let r = 0; r < m; r++)
    for (let x = 0; x < m; x++) lowBits[r * m + x] = Math.floor(((((x - r) % m) + m) % m) / s);
  const bankOfLow = new Int32Array(128);
  for (let k = 0; k < 8; k++)
    for (let u = 0; u < 4; u++)
      for (let v = 0; v < 4; v++) bankOfLow[k * 16 + u * 4 + v] = scnnBank(k, u, v, cfg.banks);
  return {
    cfg,
    C,
    K: g.K,
    Kh,
    Kw,
    s,
    pad,
    Oh,
    Ow,
    Xe,
    Ye,
    tw: Xe / Pg,
    th: Ye / Pg,
    Kc,
    act,
    tapStart,
    tapK,
    lowBits,
    bankOfLow,
  };
}

/** Halo cycles per output channel of a group (DNNsim): largest of the 8 non-centre halo areas. */
export function scnnHaloPerFilter(L: ScnnLayer): number {
  const xs = [L.Kh - 1 - L.pad, L.tw, L.pad];
  const ys = [L.Kw - 1 - L.pad, L.th, L.pad];
  let best = 0;
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 3; b++) if (a !== 1 || b !== 1) best = Math.max(best, xs[a] * ys[b]);
  return best;
}

/** Bucket of a weight tap (r, q): DNNsim pairs (r + p) mod s with x mod s (quirk 1); geometric uses r mod s. */
export function weightBucket(L: ScnnLayer, r: number): number {
  return L.cfg.mode === 'dnnsim' ? (r + L.pad) % L.s : r % L.s;
}

/** Output coordinate of input x under kernel offset r, or −1 when it is not a valid output. */
export function scnnOutput(L: ScnnLayer, x: number, r: number, limit: number): number {
  const d = x - r;
  if (L.cfg.mode === 'dnnsim') {
    const u = Math.trunc(d / L.s); // C-style truncation: x − r = −1 still lands on output 0 (quirk 2)
    return u >= 0 && u < limit ? u : -1;
  }
  if (d < 0 || d % L.s !== 0) return -1;
  const u = d / L.s;
  return u < limit ? u : -1;
}

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
  const { tapStart, tapK } = L;
  const taps = L.Kh * L.Kw;
  // Per tap, the filters of [k0, k1): a slice of the ascending list.
  const lo = new Int32Array(taps);
  const hi = new Int32Array(taps);
  for (let t = 0; t < taps; t++) {
    const tt = c * taps + t;
    lo[t] = lowerBound(tapK, tapStart[tt], tapStart[tt + 1], k0);
    hi[t] = lowerBound(tapK, lo[t], tapStart[tt + 1], k1);
    const b = weightBucket(L, Math.floor(t / L.Kw)) * L.s + weightBucket(L, t % L.Kw);
    denseCount[b] += k1 - k0;
    start[b + 1] += hi[t] - lo[t];
  }
  for (let b = 0; b < nb; b++) start[b + 1] += start[b];
  const fill = start.slice(0, nb);
  const total = start[nb];
  const ks = new Int32Array(total);
  const rs = new Int32Array(total);
  const qs = new Int32Array(total);
  for (let t = 0; t < taps; t++) {
    const r = Math.floor(t / L.Kw);
    const q = t % L.Kw;
    const b = weightBucket(L, r) * L.s + weightBucket(L, q);
    let at = fill[b];
    for (let i = lo[t]; i < hi[t]; i++) {
      const k = tapK[i];
      ks[at] = k;
      rs[at] = r;
      qs[at++] = q;
    }
    fill[b] = at;
  }
  return { start, ks, rs, qs, denseCount };
}

/** First index in [from, to) of the ascending `list` whose value is ≥ value. */
function lowerBound(list: Int32Array, from: number, to: number, value: number): number {
  let a = from;
  let b = to;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (list[mid] < value) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** Non-zero filters per original tap (c, i, j), for the effectual-MAC count. */
export function tapCounts(L: ScnnLayer, taps: number): Int32Array {
  const out = new Int32Array(taps);
  for (let t = 0; t < taps; t++) out[t] = L.tapStart[t + 1] - L.tapStart[t];
  return out;
}

/** Running totals of one evaluation. */
export interface ScnnTotals {
  cycles: number;
  denseCycles: number;
  /** Valid products computed (both operands non-zero, output coordinate in range). */
  products: number;
  haloCycles: number;
  /** Σ over groups of (cost − 1): cycles serialised by bank conflicts, summed over PEs. */
  conflictCycles: number;
  /** Products multiplied, valid or not (each PE's non-zero activations × non-zero weights of a bucket). */
  multiplied: number;
}

const bankCount = new Int32Array(32);

/**
 * Literal group cost (§10 pseudo-code): acts [a0, a1) × weights [w0, w1); adds the valid products to
 * `out[0]` and returns max(1, largest bank count).
 */
export function exactGroupCost(
  L: ScnnLayer,
  xs: Int32Array,
  ys: Int32Array,
  a0: number,
  a1: number,
  W: { ks: Int32Array; rs: Int32Array; qs: Int32Array },
  w0: number,
  w1: number,
  out: Float64Array,
): number {
  bankCount.fill(0);
  let worst = 0;
  let valid = 0;
  for (let a = a0; a < a1; a++)
    for (let w = w0; w < w1; w++) {
      const u = scnnOutput(L, xs[a], W.rs[w], L.Oh);
      if (u < 0) continue;
      const v = scnnOutput(L, ys[a], W.qs[w], L.Ow);
      if (v < 0) continue;
      const bank = scnnBank(W.ks[w], u, v, L.cfg.banks);
      valid++;
      if (++bankCount[bank] > worst) worst = bankCount[bank];
    }
  out[0] += valid;
  return Math.max(1, worst);
}

/** Whether input coordinate x gives a valid, floor-equal output for every kernel offset of each bucket residue. */
export function interiorFlags(L: ScnnLayer, size: number, kernel: number, limit: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let sx = 0; sx < L.s; sx++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let r = 0; r < kernel; r++)
      if (weightBucket(L, r) === sx) {
        lo = Math.min(lo, r);
        hi = Math.max(hi, r);
      }
    const flags = new Uint8Array(size);
    if (lo !== Infinity)
      for (let x = 0; x < size; x++) flags[x] = x - hi >= 0 && Math.floor((x - lo) / L.s) < limit ? 1 : 0;
    out.push(flags);
  }
  return out;
}

/** All positions (zeros included) of each PE tile per bucket: the dense activation counts. */
export function denseActCounts(L: ScnnLayer): Int32Array {
  const { Pg } = L.cfg;
  const s = L.s;
  const out = new Int32Array(Pg * Pg * s * s);
  for (let px = 0; px < Pg; px++)
    for (let py = 0; py < Pg; py++)
      for (let x = px * L.tw; x < px * L.tw + L.tw; x++)
        for (let y = py * L.th; y < py * L.th + L.th; y++)
          out[(px * Pg + py) * s * s + (x % s) * s + (y % s)]++;
  return out;
}
