/**
 * Per-step operand maxima of Laconic's fast step cost (accelerators.md §7.1 "fast exact evaluation"):
 * per window group the max activation term count of each (kernel offset, channel), and per tile the max
 * weight term count, each computed in one pass.
 */
import type { PreparedShape } from './termGrid';

/** Branch-free: which operand wins is data-random, so a conditional store mispredicts. */
function mergeMax(dst: Uint8Array, at: number, src: Uint8Array, from: number, n: number): void {
  for (let x = 0; x < n; x++) dst[at + x] = Math.max(dst[at + x], src[from + x]);
}

/**
 * mergeMax on four bytes per 32-bit word (SWAR): every byte is a term count below 128, so
 * (a | 0x80 per byte) − b never borrows across bytes and its high bit per byte says a ≥ b.
 */
function mergeMax4(dst: Int32Array, at: number, src: Int32Array, from: number, n: number): void {
  for (let x = 0; x < n; x++) {
    const a = dst[at + x];
    const b = src[from + x];
    const keepA = Math.imul((((a | 0x80808080) - b) & 0x80808080) >>> 7, 0xff);
    dst[at + x] = (a & keepA) | (b & ~keepA);
  }
}

/**
 * actMax[g][ij·cPad + c] = max over the windows of group g of Ta at (c, s·oh + i, s·ow + j); `actTerms` is
 * position-major [Nh·Nw][cPad]. With stride 1 the windows of one output column read a contiguous run of input
 * rows, and the row sets of the kernel offsets i overlap in a common core that is reduced only once. When
 * cPad is a multiple of 4 the bytes are merged four at a time.
 */
export function groupActivationMaxima(
  p: PreparedShape,
  actTerms: Uint8Array,
  bases: Int32Array,
  cPad: number,
  columns: number,
  numGroups: number,
): Uint8Array {
  const out = new Uint8Array(numGroups * p.Kh * p.Kw * cPad);
  if (cPad % 4 === 0 && actTerms.byteOffset % 4 === 0) {
    const words = new Int32Array(actTerms.buffer, actTerms.byteOffset, actTerms.length / 4);
    reduceGroups(
      p,
      new Int32Array(out.buffer),
      words,
      new Int32Array(cPad / 4),
      bases,
      cPad / 4,
      columns,
      mergeMax4,
    );
  } else reduceGroups(p, out, actTerms, new Uint8Array(cPad), bases, cPad, columns, mergeMax);
  return out;
}

/** groupActivationMaxima in units of `width` elements per position (bytes, or words of four bytes). */
function reduceGroups<T extends Uint8Array | Int32Array>(
  p: PreparedShape,
  out: T,
  actTerms: T,
  core: T,
  bases: Int32Array,
  width: number,
  columns: number,
  merge: (dst: T, at: number, src: T, from: number, n: number) => void,
): void {
  const { Kh, Kw, Nw, Oh } = p;
  const kernel = Kh * Kw;
  const numWindows = p.Oh * p.Ow;
  const numGroups = out.length / (kernel * width);
  for (let g = 0; g < numGroups; g++) {
    const n1 = Math.min(numWindows, (g + 1) * columns);
    const dstGroup = g * kernel * width;
    if (p.stride !== 1 || Kh === 1) {
      for (let n = g * columns; n < n1; n++)
        for (let ij = 0; ij < kernel; ij++) {
          const src = (bases[n] + Math.floor(ij / Kw) * Nw + (ij % Kw)) * width;
          merge(out, dstGroup + ij * width, actTerms, src, width);
        }
      continue;
    }
    for (let n = g * columns; n < n1;) {
      const ow = Math.floor(n / Oh);
      const oh0 = n % Oh;
      const len = Math.min(n1 - n, Oh - oh0);
      for (let j = 0; j < Kw; j++) {
        // Input row r of this column starts at (r·Nw + ow + j)·width.
        const col = (ow + j) * width;
        const rowStride = Nw * width;
        if (len >= Kh - 1) {
          core.fill(0);
          for (let r = oh0 + Kh - 1; r < oh0 + len; r++) merge(core, 0, actTerms, r * rowStride + col, width);
          for (let i = 0; i < Kh; i++) {
            const dst = dstGroup + (i * Kw + j) * width;
            merge(out, dst, core, 0, width);
            for (let r = oh0 + i; r < oh0 + Kh - 1; r++)
              merge(out, dst, actTerms, r * rowStride + col, width);
            for (let r = oh0 + len; r < oh0 + len + i; r++)
              merge(out, dst, actTerms, r * rowStride + col, width);
          }
        } else {
          for (let i = 0; i < Kh; i++) {
            const dst = dstGroup + (i * Kw + j) * width;
            for (let r = oh0 + i; r < oh0 + i + len; r++)
              merge(out, dst, actTerms, r * rowStride + col, width);
          }
        }
      }
      n += len;
    }
  }
}

/** Σ over filters of Tw and the number of non-zero Tw, per (c, i, j): the weight half of the §7.3 sums. */
export interface WeightTermSums {
  sum: Float64Array;
  nonZero: Int32Array;
}

/**
 * wgtMax[block][ij·cPad + c] = max over the block's `rows` filters of T(w) for the raw weights
 * [K][C][Kh][Kw], and, when `sums` is given, the per-(c, i, j) sums of the potential. Each (c, i, j) of a
 * block is reduced in registers over its filters (one strided read per filter): no per-element stores, and
 * branch-free abs / max, since weight signs and term counts are data-random.
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
  const limit = counts.length - 1;
  for (let b = 0; b < blocks; b++) {
    const first = b * rows * perFilter;
    const end = Math.min(K, (b + 1) * rows) * perFilter;
    const dst = b * span;
    for (let c = 0, x = 0; c < C; c++)
      for (let ij = 0; ij < kernel; ij++, x++) {
        let max = 0;
        let sum = 0;
        let nonZero = 0;
        for (let k = first + x; k < end; k += perFilter) {
          const m = Math.abs(wgt[k]);
          if (m > limit) throw magnitudeError(wgt[k]);
          const t = counts[m];
          max = Math.max(max, t);
          sum += t;
          nonZero += t === 0 ? 0 : 1;
        }
        out[dst + ij * cPad + c] = max;
        if (sums) {
          sums.sum[x] += sum;
          sums.nonZero[x] += nonZero;
        }
      }
  }
  return out;
}

function magnitudeError(v: number): RangeError {
  return new RangeError(`weight ${v} exceeds the 16-bit magnitude limit`);
}

export function weightTermSums(wgt: Int32Array, perFilter: number, counts: Uint8Array): WeightTermSums {
  const sums: WeightTermSums = { sum: new Float64Array(perFilter), nonZero: new Int32Array(perFilter) };
  for (let k = 0; k < wgt.length; k++) {
    const m = Math.abs(wgt[k]);
    if (m >= counts.length) throw magnitudeError(wgt[k]);
    const t = counts[m];
    if (t !== 0) {
      sums.sum[k % perFilter] += t;
      sums.nonZero[k % perFilter]++;
    }
  }
  return sums;
}
