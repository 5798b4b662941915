/**
 * Per-step operand maxima of Laconic's fast step cost (accelerators.md §7.1 "fast exact evaluation"):
 * per window group the max activation term count of each (kernel offset, channel), and per tile the max
 * weight term count, each computed in one pass.
 */
import type { PreparedLayer } from './grid';

function mergeMax(dst: Uint8Array, at: number, src: Uint8Array, from: number, n: number): void {
  for (let x = 0; x < n; x++) {
    const v = src[from + x];
    if (v > dst[at + x]) dst[at + x] = v;
  }
}

/**
 * actMax[g][ij·cPad + c] = max over the windows of group g of Ta at (c, s·oh + i, s·ow + j); `actTerms` is
 * position-major [Nh·Nw][cPad]. With stride 1 the windows of one output column read a contiguous run of input
 * rows, and the row sets of the kernel offsets i overlap in a common core that is reduced only once.
 */
export function groupActivationMaxima(
  p: PreparedLayer,
  actTerms: Uint8Array,
  bases: Int32Array,
  cPad: number,
  columns: number,
  numGroups: number,
): Uint8Array {
  const kernel = p.Kh * p.Kw;
  const numWindows = p.Oh * p.Ow;
  const out = new Uint8Array(numGroups * kernel * cPad);
  const core = new Uint8Array(cPad);
  for (let g = 0; g < numGroups; g++) {
    const n1 = Math.min(numWindows, (g + 1) * columns);
    const dstGroup = g * kernel * cPad;
    if (p.stride !== 1 || p.Kh === 1) {
      for (let n = g * columns; n < n1; n++) {
        for (let ij = 0; ij < kernel; ij++) {
          const src = (bases[n] + Math.floor(ij / p.Kw) * p.Nw + (ij % p.Kw)) * cPad;
          mergeMax(out, dstGroup + ij * cPad, actTerms, src, cPad);
        }
      }
      continue;
    }
    for (let n = g * columns; n < n1;) {
      const ow = Math.floor(n / p.Oh);
      const oh0 = n % p.Oh;
      const len = Math.min(n1 - n, p.Oh - oh0);
      for (let j = 0; j < p.Kw; j++) {
        const row = (r: number) => (r * p.Nw + ow + j) * cPad;
        if (len >= p.Kh - 1) {
          core.fill(0);
          for (let r = oh0 + p.Kh - 1; r < oh0 + len; r++) mergeMax(core, 0, actTerms, row(r), cPad);
          for (let i = 0; i < p.Kh; i++) {
            const dst = dstGroup + (i * p.Kw + j) * cPad;
            mergeMax(out, dst, core, 0, cPad);
            for (let r = oh0 + i; r < oh0 + p.Kh - 1; r++) mergeMax(out, dst, actTerms, row(r), cPad);
            for (let r = oh0 + len; r < oh0 + len + i; r++) mergeMax(out, dst, actTerms, row(r), cPad);
          }
        } else {
          for (let i = 0; i < p.Kh; i++) {
            const dst = dstGroup + (i * p.Kw + j) * cPad;
            for (let r = oh0 + i; r < oh0 + i + len; r++) mergeMax(out, dst, actTerms, row(r), cPad);
          }
        }
      }
      n += len;
    }
  }
  return out;
}

/** Σ over filters of Tw and the number of non-zero Tw, per (c, i, j): the weight half of the §7.3 sums. */
export interface WeightTermSums {
  sum: Float64Array;
  nonZero: Int32Array;
}

/**
 * One pass over the raw weights [K][C][Kh][Kw]: wgtMax[block][ij·cPad + c] = max over the block's `rows`
 * filters of T(w), and, when `sums` is given, the per-(c, i, j) sums of the potential.
 */
export function weightMaxima(
  wgt: Int32Array,
  K: number,
  C: number,
  kernel: number,
  rows: number,
  cPad: number,
  counts: Uint8Array,
  sums?: WeightTermSums,
): Uint8Array {
  const span = kernel * cPad;
  const out = new Uint8Array(Math.ceil(K / rows) * span);
  const perFilter = C * kernel;
  const sum = sums ? sums.sum : new Float64Array(0);
  const nonZero = sums ? sums.nonZero : new Int32Array(0);
  const collect = sums !== undefined;
  const filterTerms = new Uint8Array(perFilter);
  for (let f = 0; f < K; f++) {
    const base = f * perFilter;
    for (let x = 0; x < perFilter; x++) {
      const v = wgt[base + x];
      const t = counts[v < 0 ? -v : v];
      if (t === undefined) throw new RangeError(`weight ${v} exceeds the 16-bit magnitude limit`);
      filterTerms[x] = t;
    }
    if (collect) {
      for (let x = 0; x < perFilter; x++) {
        const t = filterTerms[x];
        sum[x] += t;
        if (t !== 0) nonZero[x]++;
      }
    }
    // [C][kernel] -> [kernel][cPad] while taking the max over the block's filters.
    const dst = Math.floor(f / rows) * span;
    for (let ij = 0; ij < kernel; ij++) {
      const row = dst + ij * cPad;
      for (let c = 0, x = ij; c < C; c++, x += kernel) {
        const t = filterTerms[x];
        if (t > out[row + c]) out[row + c] = t;
      }
    }
  }
  return out;
}

export function weightTermSums(wgt: Int32Array, perFilter: number, counts: Uint8Array): WeightTermSums {
  const sums: WeightTermSums = { sum: new Float64Array(perFilter), nonZero: new Int32Array(perFilter) };
  for (let k = 0; k < wgt.length; k++) {
    const v = wgt[k];
    const t = counts[v < 0 ? -v : v];
    if (t === undefined) throw new RangeError(`weight ${v} exceeds the 16-bit magnitude limit`);
    if (t !== 0) {
      sums.sum[k % perFilter] += t;
      sums.nonZero[k % perFilter]++;
    }
  }
  return sums;
}
