/**
 * SCNN cycle model (accelerators.md §10, DNNsim semantics). Every PE multiplies groups of I non-zero
 * activations × F non-zero weights of one input channel; a group costs max(1, largest number of valid
 * products landing in one accumulator bank). The group cost is evaluated in three ways that give identical
 * results (tests compare them with a literal transliteration):
 *  - activations away from the plane's edges ("interior": every product valid, truncation = floor): the bank
 *    of a product depends only on (x mod 4s, y mod 4s) and the weight, so each weight group gets a table of
 *    bank masks over those residues and a group is a few table reads + a bit-sliced count;
 *  - other activations against a weight group of a single kernel position: per activation one validity test
 *    and one read from an 8-entry table (the bank depends on k and on bits 0–1 of the output coordinates);
 *  - anything else (or two products of one activation in one bank): the literal per-product count.
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
  /** Non-zero masks: act [C][Xe][Ye], wgt [K][C][Kh][Kw]. */
  act: Uint8Array;
  wgt: Uint8Array;
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
  let wgt: Uint8Array;
  if (g.kind === 'fc') {
    // DNNsim: pad C to a multiple of 256, reshape the vector to (C/256) × 16 × 16 and each filter likewise.
    C = cdiv(g.C, 256);
    H = W = Kh = Kw = 16;
    s = 1;
    pad = 0;
    actCHW = new Int32Array(C * 256);
    actCHW.set(input.act);
    wgt = new Uint8Array(g.K * C * 256);
    for (let k = 0; k < g.K; k++)
      for (let c = 0; c < g.C; c++) wgt[k * C * 256 + c] = input.wgt[k * g.C + c] !== 0 ? 1 : 0;
  } else {
    ({ C, H, W, Kh, Kw, stride: s, pad } = g);
    actCHW = padActivations(input.act, C, H, W, pad);
    H += 2 * pad;
    W += 2 * pad;
    wgt = new Uint8Array(input.wgt.length);
    for (let i = 0; i < wgt.length; i++) wgt[i] = input.wgt[i] !== 0 ? 1 : 0;
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
    wgt,
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
function weightBucket(L: ScnnLayer, r: number): number {
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
interface ChannelActs {
  /** Acts of (pe, bucket) at [start[pe·s² + b], start[pe·s² + b + 1]). */
  start: Int32Array;
  xs: Int32Array;
  ys: Int32Array;
}

function channelActs(L: ScnnLayer, c: number): ChannelActs {
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
interface WeightGroups {
  /** Weights of bucket b at [start[b], start[b + 1]); group h of the bucket = [start[b] + hF, ...). */
  start: Int32Array;
  ks: Int32Array;
  rs: Int32Array;
  qs: Int32Array;
  /** Per weight: k mod 8, r mod 4s, q mod 4s (what its bank depends on). */
  k8: Int32Array;
  rm: Int32Array;
  qm: Int32Array;
  /** Per bucket: all taps of the bucket (incl. zero weights) × filters of the group, for the dense count. */
  denseCount: Int32Array;
}

function weightGroups(L: ScnnLayer, c: number, k0: number, k1: number): WeightGroups {
  const nb = L.s * L.s;
  const start = new Int32Array(nb + 1);
  const denseCount = new Int32Array(nb);
  const taps = L.Kh * L.Kw;
  for (let r = 0; r < L.Kh; r++)
    for (let q = 0; q < L.Kw; q++) {
      const b = weightBucket(L, r) * L.s + weightBucket(L, q);
      denseCount[b] += k1 - k0;
      for (let k = k0; k < k1; k++) if (L.wgt[(k * L.C + c) * taps + r * L.Kw + q]) start[b + 1]++;
    }
  for (let b = 0; b < nb; b++) start[b + 1] += start[b];
  const fill = start.slice(0, nb);
  const n = start[nb];
  const ks = new Int32Array(n);
  const rs = new Int32Array(n);
  const qs = new Int32Array(n);
  for (let r = 0; r < L.Kh; r++)
    for (let q = 0; q < L.Kw; q++) {
      const b = weightBucket(L, r) * L.s + weightBucket(L, q);
      for (let k = k0; k < k1; k++)
        if (L.wgt[(k * L.C + c) * taps + r * L.Kw + q]) {
          ks[fill[b]] = k;
          rs[fill[b]] = r;
          qs[fill[b]++] = q;
        }
    }
  const m = 4 * L.s;
  const k8 = ks.map((k) => k & 7);
  const rm = rs.map((r) => r % m);
  const qm = qs.map((q) => q % m);
  return { start, ks, rs, qs, k8, rm, qm, denseCount };
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

/** Per-bucket evaluation context of one (output-channel group, channel): the weight groups of the bucket. */
class BucketTables {
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
  readonly residueMask: Int32Array;
  /** 1 where two weights of the group hit the same bank for that residue. */
  readonly residueDup: Uint8Array;
  /** Σ over all groups of the cost for an interior activation group, keyed by its sorted residues. */
  readonly memo = new Map<number, number>();
  /**
   * Runs: maximal stretches of groups whose weights all sit at one kernel position (r, q); run i covers
   * groups [runStart[i], runEnd[i]). Groups mixing positions are listed in `mixed`.
   */
  readonly runStart: number[] = [];
  readonly runEnd: number[] = [];
  readonly runR: number[] = [];
  readonly runQ: number[] = [];
  readonly runWeights: number[] = [];
  readonly mixed: number[] = [];
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
      this.rLast[h] = W.rs[b - 1];
      this.qMin[h] = qMin;
      this.qMax[h] = qMax;
    }
    for (let h = 0; h < G; h++) {
      const weights = Math.min(F, w1 - w0 - h * F);
      if (this.rFirst[h] !== this.rLast[h] || this.qMin[h] !== this.qMax[h]) {
        this.mixed.push(h);
        continue;
      }
      const last = this.runStart.length - 1;
      if (
        last >= 0 &&
        this.runEnd[last] === h &&
        this.runR[last] === this.rFirst[h] &&
        this.runQ[last] === this.qMin[h]
      ) {
        this.runEnd[last] = h + 1;
        this.runWeights[last] += weights;
        continue;
      }
      this.runStart.push(h);
      this.runEnd.push(h + 1);
      this.runR.push(this.rFirst[h]);
      this.runQ.push(this.qMin[h]);
      this.runWeights.push(weights);
      this.runCosts.push(null);
      this.runMemo.push(null);
    }
    this.R2 = 16 * L.s * L.s;
    this.residueMask = new Int32Array(G * this.R2);
    this.residueDup = new Uint8Array(G * this.R2);
  }

  /**
   * Σ over the groups of run i of their cost when the valid activations form the pair classes in `pairMask`
   * (see runPairMask); memoised per run.
   */
  runSum(i: number, pairMask: number): number {
    const groups = this.runEnd[i] - this.runStart[i];
    if (pairMask === 0) return groups; // no valid product: every group still takes its cycle
    let memo = this.runMemo[i];
    if (!memo) memo = this.runMemo[i] = new Int32Array(1 << PAIR_TYPES.length).fill(-1);
    if (memo[pairMask] >= 0) return memo[pairMask];
    let costs = this.runCosts[i];
    if (!costs) costs = this.runCosts[i] = this.pairTypeCosts(i);
    let sum = 0;
    for (let h = 0; h < groups; h++) {
      let best = 0;
      for (let t = 0; t < PAIR_TYPES.length; t++)
        if (pairMask & (1 << t)) best = Math.max(best, costs[h * PAIR_TYPES.length + t]);
      sum += best;
    }
    memo[pairMask] = sum;
    return sum;
  }

  /**
   * Cost of every group of run i against an activation class holding (lo, hi) activations of the two bank-bit-4
   * variants: the bank is kpart(k) XOR uvpart(u, v), so with α_g / β_g weights of k mod 4 = g and bit 2 of k
   * clear / set, the busiest bank receives max_g max(α_g·lo + β_g·hi, α_g·hi + β_g·lo) products.
   */
  private pairTypeCosts(i: number): Int32Array {
    const { W, L } = this;
    const F = L.cfg.F;
    const groups = this.runEnd[i] - this.runStart[i];
    const out = new Int32Array(groups * PAIR_TYPES.length);
    const count = new Int32Array(8);
    for (let h = 0; h < groups; h++) {
      const a = this.w0 + (this.runStart[i] + h) * F;
      const b = Math.min(a + F, this.w1);
      count.fill(0);
      for (let w = a; w < b; w++) count[W.k8[w]]++;
      for (let t = 0; t < PAIR_TYPES.length; t++) {
        const [lo, hi] = PAIR_TYPES[t];
        let best = 0;
        for (let g = 0; g < 4; g++) {
          const alpha = count[g];
          const beta = count[g + 4];
          best = Math.max(best, alpha * lo + beta * hi, alpha * hi + beta * lo);
        }
        out[h * PAIR_TYPES.length + t] = best;
      }
    }
    return out;
  }

  /** Index of (group h, residue) in the residue tables, filling the entry on first use. */
  entry(h: number, residue: number): number {
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
}

/**
 * Largest multiplicity of a bank among up to four masks (each mask: banks hit by one activation, each at most
 * once): bit-sliced counters, 1 when no bank is hit twice.
 */
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

/** Unordered (lo, hi) activation counts of one (u0, v0) class, lo + hi ≤ 4: the pair types of runSum. */
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
const PAIR_INDEX = (() => {
  const t = new Int32Array(25).fill(-1);
  PAIR_TYPES.forEach(([lo, hi], i) => (t[lo * 5 + hi] = i));
  return t;
})();
const classCount = new Int32Array(8);

const masks = new Int32Array(4);
const residues = new Int32Array(4);
const rLoA = new Int32Array(4);
const rSafeA = new Int32Array(4);
const rValidA = new Int32Array(4);
const qLoA = new Int32Array(4);
const qSafeA = new Int32Array(4);
const qValidA = new Int32Array(4);

/** Σ over all weight groups of the cost of an interior activation group given by its residues (memoised). */
function interiorGroupSum(
  T: BucketTables,
  nA: number,
  scratch: Float64Array,
  xs: Int32Array,
  ys: Int32Array,
  g0: number,
): number {
  for (let i = 1; i < nA; i++) {
    const v = residues[i];
    let p = i - 1;
    while (p >= 0 && residues[p] > v) {
      residues[p + 1] = residues[p];
      p--;
    }
    residues[p + 1] = v;
  }
  let key = nA;
  for (let i = 0; i < nA; i++) key = key * T.R2 + residues[i];
  const known = T.memo.get(key);
  if (known !== undefined) return known;
  const { L } = T;
  const F = L.cfg.F;
  const rm = T.residueMask;
  const rd = T.residueDup;
  let sum = 0;
  for (let h = 0; h < T.groups; h++) {
    let dup = false;
    for (let i = 0; i < nA; i++) {
      const t = T.entry(h, residues[i]);
      masks[i] = rm[t];
      if (rd[t]) dup = true;
    }
    if (dup) {
      const w0 = T.w0 + h * F;
      sum += exactGroupCost(L, xs, ys, g0, g0 + nA, T.W, w0, Math.min(w0 + F, T.w1), scratch);
      continue;
    }
    sum += maxOfMasks(masks[0], nA > 1 ? masks[1] : 0, nA > 2 ? masks[2] : 0, nA > 3 ? masks[3] : 0);
  }
  T.memo.set(key, sum);
  return sum;
}

/** Cost of one PE for one channel: Σ over buckets and (activation group × weight group). */
function peChannelCost(
  L: ScnnLayer,
  acts: ChannelActs,
  pe: number,
  tables: (BucketTables | null)[],
  interiorX: Uint8Array[],
  interiorY: Uint8Array[],
  totals: ScnnTotals,
  scratch: Float64Array,
): number {
  const { I, F } = L.cfg;
  const s = L.s;
  const nb = s * s;
  const m = 4 * s;
  const reach = L.cfg.mode === 'dnnsim' ? s - 1 : 0; // trunc((x − r)/s) is still 0 for x − r > −s
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
      if (I > 4) {
        for (let h = 0; h < T.groups; h++) {
          const w0 = T.w0 + h * F;
          scratch[0] = 0;
          const c = exactGroupCost(L, xs, ys, g0, g1, T.W, w0, Math.min(w0 + F, T.w1), scratch);
          totals.products += scratch[0];
          totals.conflictCycles += c - 1;
          cost += c;
        }
        continue;
      }
      let interior = true;
      for (let a = g0; a < g1; a++) {
        residues[a - g0] = (xs[a] % m) * m + (ys[a] % m);
        if (!interiorX[b][xs[a]] || !interiorY[b][ys[a]]) interior = false;
      }
      if (interior) {
        const sum = interiorGroupSum(T, nA, scratch, xs, ys, g0);
        cost += sum;
        totals.conflictCycles += sum - T.groups;
        totals.products += nA * (T.w1 - T.w0);
        continue;
      }
      for (let i = 0; i < nA; i++) {
        const x = xs[g0 + i];
        const y = ys[g0 + i];
        rLoA[i] = x - L.Oh * s + 1;
        rSafeA[i] = x;
        rValidA[i] = x + reach;
        qLoA[i] = y - L.Ow * s + 1;
        qSafeA[i] = y;
        qValidA[i] = y + reach;
      }
      const useRuns = L.cfg.banks >= 32;
      if (useRuns) {
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
          const sum = T.runSum(run, pairMask);
          cost += sum;
          totals.conflictCycles += sum - (T.runEnd[run] - T.runStart[run]);
          totals.products += valid * T.runWeights[run];
        }
      }
      const hCount = useRuns ? T.mixed.length : T.groups;
      for (let hi = 0; hi < hCount; hi++) {
        const h = useRuns ? T.mixed[hi] : hi;
        const rF = T.rFirst[h];
        const rL = T.rLast[h];
        const qm = T.qMin[h];
        const qM = T.qMax[h];
        let nMask = 0;
        let exact = false;
        for (let i = 0; i < nA; i++) {
          if (rF >= rLoA[i] && rL <= rSafeA[i] && qm >= qLoA[i] && qM <= qSafeA[i]) {
            const t = T.entry(h, residues[i]);
            if (T.residueDup[t]) {
              exact = true;
              break;
            }
            masks[nMask++] = T.residueMask[t];
          } else if (!(rL < rLoA[i] || rF > rValidA[i] || qM < qLoA[i] || qm > qValidA[i])) {
            exact = true; // some products of this activation valid, some not (or truncation differs from floor)
            break;
          }
        }
        const w0 = T.w0 + h * F;
        const w1 = Math.min(w0 + F, T.w1);
        if (exact) {
          scratch[0] = 0;
          const c = exactGroupCost(L, xs, ys, g0, g1, T.W, w0, w1, scratch);
          totals.products += scratch[0];
          totals.conflictCycles += c - 1;
          cost += c;
          continue;
        }
        const c =
          nMask === 0
            ? 1
            : maxOfMasks(
                masks[0],
                nMask > 1 ? masks[1] : 0,
                nMask > 2 ? masks[2] : 0,
                nMask > 3 ? masks[3] : 0,
              );
        totals.products += nMask * (w1 - w0);
        totals.conflictCycles += c - 1;
        cost += c;
      }
    }
  }
  return cost;
}

/** Whether input coordinate x gives a valid, floor-equal output for every kernel offset of each bucket residue. */
function interiorFlags(L: ScnnLayer, size: number, kernel: number, limit: number): Uint8Array[] {
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

/** Cycles, dense cycles, valid products and halo cycles of the whole layer. */
export function scnnCounts(L: ScnnLayer): ScnnTotals {
  const { Pg, I, F } = L.cfg;
  const s = L.s;
  const nb = s * s;
  const totals: ScnnTotals = { cycles: 0, denseCycles: 0, products: 0, haloCycles: 0, conflictCycles: 0 };
  const scratch = new Float64Array(1);
  const ix = interiorFlags(L, L.Xe, L.Kh, L.Oh);
  const iy = interiorFlags(L, L.Ye, L.Kw, L.Ow);
  // Bucket b of an activation pairs with weight bucket b (both indexed sx·s + sy); interior flags per axis.
  const interiorX = Array.from({ length: nb }, (_, b) => ix[Math.floor(b / s)]);
  const interiorY = Array.from({ length: nb }, (_, b) => iy[b % s]);
  const acts = Array.from({ length: L.C }, (_, c) => channelActs(L, c));
  const denseActs = denseActCounts(L);
  const halo = scnnHaloPerFilter(L);
  for (let k0 = 0; k0 < L.K; k0 += L.Kc) {
    const k1 = Math.min(k0 + L.Kc, L.K);
    let denseChannel = 0;
    for (let c = 0; c < L.C; c++) {
      const W = weightGroups(L, c, k0, k1);
      if (c === 0) {
        for (let pe = 0; pe < Pg * Pg; pe++) {
          let d = 0;
          for (let b = 0; b < nb; b++) d += cdiv(denseActs[pe * nb + b], I) * cdiv(W.denseCount[b], F);
          denseChannel = Math.max(denseChannel, d);
        }
      }
      const tables = Array.from({ length: nb }, (_, b) =>
        W.start[b + 1] > W.start[b] ? new BucketTables(L, W, W.start[b], W.start[b + 1]) : null,
      );
      let worst = 0;
      for (let pe = 0; pe < Pg * Pg; pe++) {
        const cost = peChannelCost(L, acts[c], pe, tables, interiorX, interiorY, totals, scratch);
        if (cost > worst) worst = cost;
      }
      totals.cycles += worst;
    }
    totals.denseCycles += denseChannel * L.C;
    const haloCycles = halo * (k1 - k0);
    totals.cycles += haloCycles;
    totals.denseCycles += haloCycles;
    totals.haloCycles += haloCycles;
  }
  return totals;
}

/** All positions (zeros included) of each PE tile per bucket: the dense activation counts. */
function denseActCounts(L: ScnnLayer): Int32Array {
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
