/**
 * SCNN layer preparation and the literal pieces of accelerators.md §10 (DNNsim semantics): parameters, FC
 * reshaping, padding and zero extension to the PE grid, weight buckets, output coordinates and the
 * accumulator bank map.
 */
import { cdiv } from '../types';
import { tapFilters, type TapFilters } from './scnnFilters';
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
  /** Non-zero filters of each tap t = (c·Kh + r)·Kw + q (for an FC layer t is the input index). */
  filters: TapFilters;
}

/** DNNsim's accumulator bank of output (k, u, v); only bits 0–2 of k and 0–1 of u, v matter. */
export function scnnBank(k: number, u: number, v: number, banks: number): number {
  return (
    ((((k & 4) << 2) ^ ((u & 2) << 3) ^ ((v & 2) << 3)) + ((u & 1) << 3) + ((v & 1) << 2) + (k & 3)) % banks
  );
}

/**
 * The bank as kPart(k) XOR uvPart(u, v), both below 32: the three added terms of scnnBank occupy disjoint
 * bits (0–1: k mod 4; 2: v0; 3: u0; 4: k2 ^ u1 ^ v1), so the sum is an OR and splits by operand.
 */
export function kPart(k: number): number {
  return (k & 3) | ((k & 4) << 2);
}

export function uvPart(u: number, v: number): number {
  return ((u & 1) << 3) | ((v & 1) << 2) | (((u ^ v) & 2) << 3);
}

export function prepareScnn(input: AccelLayerInput, cfg: ScnnConfig): ScnnLayer {
  const g = input.geometry;
  let C: number, H: number, W: number, Kh: number, Kw: number, s: number, pad: number;
  let acts: Int32Array;
  if (g.kind === 'fc') {
    // DNNsim: pad C to a multiple of 256, reshape the vector to (C/256) × 16 × 16 and each filter likewise.
    C = cdiv(g.C, 256);
    H = W = Kh = Kw = 16;
    s = 1;
    pad = 0;
    acts = new Int32Array(C * 256);
    acts.set(input.act);
  } else {
    ({ C, H, W, Kh, Kw, stride: s, pad } = g);
    acts = input.act;
  }
  const filters = tapFilters(input.wgt, g.K, g.C * g.Kh * g.Kw, C * Kh * Kw);
  const X = H + 2 * pad;
  const Y = W + 2 * pad;
  const Oh = Math.floor((X - Kh) / s) + 1;
  const Ow = Math.floor((Y - Kw) / s) + 1;
  const { Pg } = cfg;
  const Kc = Math.max(1, Math.floor(cfg.accEntries / (cdiv(Oh, Pg) * cdiv(Ow, Pg))));
  const Xe = cdiv(X, Pg) * Pg;
  const Ye = cdiv(Y, Pg) * Pg;
  const act = nonZeroMaskPadded(acts, C, H, W, pad, Xe, Ye);
  return Object.assign(new PreparedLayer(), {
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
    filters,
  });
}

/** Non-zero mask of the C × H × W activations, zero-padded by pad and zero-extended to C × Xe × Ye. */
function nonZeroMaskPadded(
  acts: Int32Array,
  C: number,
  H: number,
  W: number,
  pad: number,
  Xe: number,
  Ye: number,
): Uint8Array {
  const out = new Uint8Array(C * Xe * Ye);
  for (let c = 0; c < C; c++)
    for (let x = 0; x < H; x++) {
      const to = (c * Xe + x + pad) * Ye + pad;
      const from = (c * H + x) * W;
      for (let y = 0; y < W; y++) out[to + y] = acts[from + y] !== 0 ? 1 : 0;
    }
  return out;
}

/**
 * Layers are class instances filled by Object.assign: returning the object literal itself made V8 deoptimise
 * every function reading a layer when the second layer was prepared (a recompilation wave, measured).
 */
class PreparedLayer {}

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

/** Non-zero filters per original tap (c, i, j), for the effectual-MAC count. */
export function tapCounts(L: ScnnLayer, taps: number): Int32Array {
  const out = new Int32Array(taps);
  out.set(L.filters.count.subarray(0, taps));
  return out;
}

/** Totals of one layer. */
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

/** All positions (zeros included) of each PE tile per bucket: the dense activation counts. */
export function denseActCounts(L: ScnnLayer): Int32Array {
  const { Pg } = L.cfg;
  const s = L.s;
  // Coordinates in [lo, lo + n) that are ≡ r (mod s).
  const count = (lo: number, n: number, r: number) =>
    Math.floor((lo + n - 1 - r) / s) - Math.floor((lo - 1 - r) / s);
  const out = new Int32Array(Pg * Pg * s * s);
  for (let px = 0; px < Pg; px++)
    for (let py = 0; py < Pg; py++)
      for (let sx = 0; sx < s; sx++)
        for (let sy = 0; sy < s; sy++)
          out[(px * Pg + py) * s * s + sx * s + sy] = count(px * L.tw, L.tw, sx) * count(py * L.th, L.th, sy);
  return out;
}
