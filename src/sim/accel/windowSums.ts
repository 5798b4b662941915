import type { AccelLayerInput } from './types';
import { valueWidth } from './widths';

/** What a work sum counts per operand: 1 for a non-zero value, or the value's own §5 width. */
export type OperandMeasure = 'nonZero' | 'widthLeading' | 'widthBoth';

export function widthMeasure(leadingBit: boolean): OperandMeasure {
  return leadingBit ? 'widthLeading' : 'widthBoth';
}

/*
 * The per-element loops below run over millions of values whose zeros and signs are data-random: every
 * measure is branch-free (a zero measures 0), and each measure has its own loop so that call sites stay
 * monomorphic.
 */
function measureInto(
  values: Int32Array,
  from: number,
  count: number,
  measure: OperandMeasure,
  out: Uint8Array,
  at: number,
) {
  if (measure === 'nonZero') {
    for (let k = 0; k < count; k++) {
      const v = values[from + k];
      out[at + k] = (v | -v) >>> 31;
    }
  } else {
    const leading = measure === 'widthLeading';
    for (let k = 0; k < count; k++) out[at + k] = valueWidth(values[from + k], leading);
  }
}

function accumulateInto(
  values: Int32Array,
  from: number,
  count: number,
  measure: OperandMeasure,
  out: Float64Array,
) {
  if (measure === 'nonZero') {
    for (let k = 0; k < count; k++) {
      const v = values[from + k];
      out[k] += (v | -v) >>> 31;
    }
  } else {
    const leading = measure === 'widthLeading';
    for (let k = 0; k < count; k++) out[k] += valueWidth(values[from + k], leading);
  }
}

/**
 * For every kernel slot (c, i, j) of the original (untransformed) layer, the sum over all windows of a
 * per-activation measure x of the padded input: S[c][i][j] = Σ_{oh,ow} x[c][s*oh+i][s*ow+j].
 * Work sums over MACs then reduce to Σ_{c,i,j} S[c][i][j] * (per-weight-slot factor), in O(C*Nh*(Nw+Kw)).
 * Rows are measured one at a time (padding rows and columns measure 0).
 */
export function windowSums(input: AccelLayerInput, measure: OperandMeasure): Float64Array {
  const g = input.geometry;
  const Nh = g.H + 2 * g.pad;
  const Nw = g.W + 2 * g.pad;
  const Oh = Math.floor((Nh - g.Kh) / g.stride) + 1;
  const Ow = Math.floor((Nw - g.Kw) / g.stride) + 1;
  const s = g.stride;
  const out = new Float64Array(g.C * g.Kh * g.Kw);
  const rowSums = new Float64Array(Nh * g.Kw);
  const x = new Uint8Array(Nw);
  // Along w from strided prefix sums of the row (prefix[w] = x at w, w − s, w − 2s, ... summed): O(Nw + Kw)
  // per row instead of O(Kw·Ow). Integer sums, so the grouping of the additions does not matter.
  const prefix = new Int32Array(Nw);
  const span = s * (Ow - 1);
  for (let c = 0; c < g.C; c++) {
    for (let h = 0; h < Nh; h++) {
      const real = h >= g.pad && h < g.pad + g.H;
      if (!real) {
        for (let j = 0; j < g.Kw; j++) rowSums[h * g.Kw + j] = 0;
        continue;
      }
      measureInto(input.act, (c * g.H + h - g.pad) * g.W, g.W, measure, x, g.pad);
      for (let r = 0; r < s; r++)
        for (let w = r, sum = 0; w < Nw; w += s) {
          sum += x[w];
          prefix[w] = sum;
        }
      for (let j = 0; j < g.Kw; j++) rowSums[h * g.Kw + j] = prefix[j + span] - (j >= s ? prefix[j - s] : 0);
    }
    for (let i = 0; i < g.Kh; i++)
      for (let j = 0; j < g.Kw; j++) {
        let sum = 0;
        for (let oh = 0; oh < Oh; oh++) sum += rowSums[(s * oh + i) * g.Kw + j];
        out[(c * g.Kh + i) * g.Kw + j] = sum;
      }
  }
  return out;
}

/** Σ over filters of the measure of W[k][c][i][j], for every slot (c, i, j). */
export function filterSums(input: AccelLayerInput, measure: OperandMeasure): Float64Array {
  const g = input.geometry;
  const slots = g.C * g.Kh * g.Kw;
  const out = new Float64Array(slots);
  for (let k = 0; k < g.K; k++) accumulateInto(input.wgt, k * slots, slots, measure, out);
  return out;
}
