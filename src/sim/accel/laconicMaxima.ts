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
  const perFilter = C * kernel;
  const blocks = Math.ceil(K / rows);
  const out = new Uint8Array(blocks * span);
  const blockMax = new Uint8Array(perFilter);
  for (let b = 0; b < blocks; b++) {
    blockMax.fill(0);
    const end = Math.min(K, (b + 1) * rows) * perFilter;
    // Sequential over the block's filters in their own [C][kernel] order ...
    for (let base = b * rows * perFilter; base < end; base += perFilter) {
      if (sums) accumulateFilter(wgt, base, perFilter, counts, blockMax, sums.sum, sums.nonZero);
      else maxFilter(wgt, base, perFilter, counts, blockMax);
    }
    // ... then one transpose per block into the step layout [kernel][cPad].
    const dst = b * span;
    for (let c = 0; c < C; c++) {
      for (let ij = 0; ij < kernel; ij++) out[dst + ij * cPad + c] = blockMax[c * kernel + ij];
    }
  }
  return out;
}

function termOf(counts: Uint8Array, v: number): number {
  const t = counts[v < 0 ? -v : v];
  if (t === undefined) throw new RangeError(`weight ${v} exceeds the 16-bit magnitude limit`);
  return t;
}

function maxFilter(wgt: Int32Array, base: number, n: number, counts: Uint8Array, blockMax: Uint8Array): void {
  for (let x = 0; x < n; x++) {
    const t = termOf(counts, wgt[base + x]);
    if (t > blockMax[x]) blockMax[x] = t;
  }
}

function accumulateFilter(
  wgt: Int32Array,
  base: number,
  n: number,
  counts: Uint8Array,
  blockMax: Uint8Array,
  sum: Float64Array,
  nonZero: Int32Array,
): void {
  for (let x = 0; x < n; x++) {
    const t = termOf(counts, wgt[base + x]);
    if (t > blockMax[x]) blockMax[x] = t;
    if (t !== 0) {
      sum[x] += t;
      nonZero[x]++;
    }
  }
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
