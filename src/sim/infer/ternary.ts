import type { FoldedAffine } from './fold';

/**
 * Sign patterns of the two filters of a pair at one row, in the order the kernels take them; rows where both
 * weights are zero are skipped.
 */
export const PAIR_PATTERNS: ReadonlyArray<readonly [number, number]> = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [1, 1],
  [1, -1],
  [-1, 1],
  [-1, -1],
];
const PATTERNS = PAIR_PATTERNS.length;

/**
 * A convolution whose filters each hold at most three weight values {-a_k, 0, +b_k}, taken two filters at a
 * time: the rows d of the kernels' virtual input matrix (./layout.ts) are grouped by the pair's sign pattern
 * there, each group is summed once (additions only, zero weights skipped) and the sum counts for both filters.
 * A row that both filters use is thus read and added once instead of twice.
 * out_k = bias_k + sum over patterns of coefficient * group sum, where the coefficients are +b_k or -a_k times
 * the folded BN/bias factor of filter k.
 */
export interface TernaryConv {
  kind: 'ternary';
  K: number;
  /** ceil(K / 2): filters 2g and 2g+1 form pair g (a zero filter completes an odd K). */
  pairs: number;
  /** [pairs][8]: how many rows have each pattern of PAIR_PATTERNS. */
  counts: Int32Array;
  /** Pair after pair, pattern after pattern: the rows d. */
  rows: Int32Array;
  /** [pairs][8][2]: the factor of each pattern's sum in the pair's two outputs (0 where the weight is 0). */
  coefficients: Float32Array;
  /** [2 * pairs] */
  bias: Float32Array;
}

export interface TernaryValues {
  /** Per filter: the positive value b_k, 0 when the filter has none. */
  plus: Float64Array;
  /** Per filter: the magnitude a_k of the negative value, 0 when the filter has none. */
  minus: Float64Array;
}

/**
 * The per-filter values when every filter of weights [K][D] takes at most one positive and one negative value
 * besides zero; null otherwise (also for NaN, which is neither).
 */
export function ternaryValues(weights: ArrayLike<number>, K: number, D: number): TernaryValues | null {
  const plus = new Float64Array(K);
  const minus = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let b = 0;
    let a = 0;
    for (let i = k * D; i < (k + 1) * D; i++) {
      const w = weights[i];
      if (w === 0) continue;
      if (w > 0) {
        if (b === 0) b = w;
        else if (w !== b) return null;
      } else if (w < 0) {
        if (a === 0) a = -w;
        else if (-w !== a) return null;
      } else return null;
    }
    plus[k] = b;
    minus[k] = a;
  }
  return { plus, minus };
}

const sign = (w: number) => (w > 0 ? 1 : w < 0 ? -1 : 0);
/** (3 (s1 + 1) + s2 + 1) -> index in PAIR_PATTERNS, -1 for (0, 0). */
const PATTERN_INDEX = Array.from({ length: 9 }, (_, i) =>
  PAIR_PATTERNS.findIndex(([s1, s2]) => 3 * (s1 + 1) + s2 + 1 === i),
);

/** The ternary form of weights [K][D] with the folded affine map, or null when they are not ternary. */
export function packTernary(
  weights: ArrayLike<number>,
  K: number,
  D: number,
  affine: FoldedAffine,
): TernaryConv | null {
  const values = ternaryValues(weights, K, D);
  if (!values) return null;
  const pairs = Math.ceil(K / 2);
  const patternOf = (g: number, d: number) => {
    const s1 = sign(weights[2 * g * D + d]);
    const s2 = 2 * g + 1 < K ? sign(weights[(2 * g + 1) * D + d]) : 0;
    return PATTERN_INDEX[3 * (s1 + 1) + s2 + 1];
  };
  const counts = new Int32Array(pairs * PATTERNS);
  let entries = 0;
  for (let g = 0; g < pairs; g++) {
    for (let d = 0; d < D; d++) {
      const q = patternOf(g, d);
      if (q < 0) continue;
      counts[g * PATTERNS + q]++;
      entries++;
    }
  }
  const rows = new Int32Array(entries);
  const next = new Int32Array(PATTERNS);
  let first = 0;
  for (let g = 0; g < pairs; g++) {
    for (let q = 0; q < PATTERNS; q++) {
      next[q] = first;
      first += counts[g * PATTERNS + q];
    }
    for (let d = 0; d < D; d++) {
      const q = patternOf(g, d);
      if (q >= 0) rows[next[q]++] = d;
    }
  }
  const coefficients = new Float32Array(pairs * PATTERNS * 2);
  const bias = new Float32Array(2 * pairs);
  for (let k = 0; k < K; k++) {
    const g = k >> 1;
    const side = k & 1;
    const plus = values.plus[k] * affine.factor[k];
    const minus = -values.minus[k] * affine.factor[k];
    PAIR_PATTERNS.forEach((pattern, q) => {
      const s = pattern[side];
      coefficients[(g * PATTERNS + q) * 2 + side] = s > 0 ? plus : s < 0 ? minus : 0;
    });
    bias[k] = affine.offset[k];
  }
  return { kind: 'ternary', K, pairs, counts, rows, coefficients, bias };
}

/** Where each entry of `rows` starts in the source: rowOffsets[row] * unit (1 for elements, 4 for bytes). */
export function entryOffsets(t: TernaryConv, rowOffsets: Int32Array, unit: number, target: Int32Array): void {
  const { rows } = t;
  for (let e = 0; e < rows.length; e++) target[e] = rowOffsets[rows[e]] * unit;
}

/** Output pixels accumulated together: each index read serves this many additions. */
const BLOCK = 4;

/**
 * out[k][p] for every filter of the pairs (2 * pairs rows, outStride long) and pStart <= p < pEnd, where entry
 * e of `t.rows` reads col[colOffset + offsets[e] + p]. Sums stay in float64 locals, 4 pixels per pass.
 */
export function ternaryConvolve(
  t: TernaryConv,
  offsets: Int32Array,
  col: Float32Array,
  colOffset: number,
  pStart: number,
  pEnd: number,
  out: Float32Array,
  outOffset: number,
  outStride: number,
): void {
  const { pairs, counts, coefficients, bias } = t;
  const mainEnd = pEnd - ((pEnd - pStart) % BLOCK);
  let first = 0;
  for (let g = 0; g < pairs; g++) {
    const o1 = outOffset + 2 * g * outStride;
    const o2 = o1 + outStride;
    const b1 = bias[2 * g];
    const b2 = bias[2 * g + 1];
    let last = first;
    for (let q = 0; q < PATTERNS; q++) last += counts[g * PATTERNS + q];
    // prettier-ignore
    for (let p = pStart; p < pEnd; ) {
      const base = colOffset + p;
      // Past mainEnd, fewer than 4 pixels remain: one at a time.
      const single = p >= mainEnd;
      let x0 = b1, x1 = b1, x2 = b1, x3 = b1;
      let y0 = b2, y1 = b2, y2 = b2, y3 = b2;
      let e = first;
      for (let q = 0; q < PATTERNS; q++) {
        const end = e + counts[g * PATTERNS + q];
        if (end === e) continue;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (single) for (; e < end; e++) s0 += col[base + offsets[e]];
        else {
          for (; e < end; e++) {
            const c = base + offsets[e];
            s0 += col[c]; s1 += col[c + 1]; s2 += col[c + 2]; s3 += col[c + 3];
          }
        }
        const c = (g * PATTERNS + q) * 2;
        if (PAIR_PATTERNS[q][0] !== 0) {
          const f = coefficients[c];
          x0 += f * s0; x1 += f * s1; x2 += f * s2; x3 += f * s3;
        }
        if (PAIR_PATTERNS[q][1] !== 0) {
          const f = coefficients[c + 1];
          y0 += f * s0; y1 += f * s1; y2 += f * s2; y3 += f * s3;
        }
      }
      out[o1 + p] = x0; out[o2 + p] = y0;
      if (single) {
        p++;
        continue;
      }
      out[o1 + p + 1] = x1; out[o1 + p + 2] = x2; out[o1 + p + 3] = x3;
      out[o2 + p + 1] = y1; out[o2 + p + 2] = y2; out[o2 + p + 3] = y3;
      p += BLOCK;
    }
    first = last;
  }
}
