import type { AccelLayerInput } from './types';
import { valueWidth } from './widths';

/**
 * For every kernel slot (c, i, j) of the original (untransformed) layer, the sum over all windows of a
 * per-activation quantity x of the padded input: S[c][i][j] = Σ_{oh,ow} x[c][s*oh+i][s*ow+j].
 * Work sums over MACs then reduce to Σ_{c,i,j} S[c][i][j] * (per-weight-slot factor), in O(C*Nh*(Nw+Kw)).
 */
export function windowSums(x: Uint8Array, input: AccelLayerInput): Float64Array {
  const g = input.geometry;
  const Nh = g.H + 2 * g.pad;
  const Nw = g.W + 2 * g.pad;
  const Oh = Math.floor((Nh - g.Kh) / g.stride) + 1;
  const Ow = Math.floor((Nw - g.Kw) / g.stride) + 1;
  const s = g.stride;
  const out = new Float64Array(g.C * g.Kh * g.Kw);
  const rowSums = new Float64Array(Nh * g.Kw);
  for (let c = 0; c < g.C; c++) {
    for (let h = 0; h < Nh; h++) {
      const row = (c * Nh + h) * Nw;
      for (let j = 0; j < g.Kw; j++) {
        let sum = 0;
        for (let k = row + j, end = row + j + s * Ow; k < end; k += s) sum += x[k];
        rowSums[h * g.Kw + j] = sum;
      }
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

/** What a work sum counts per operand: 1 for a non-zero value, or the value's own §5 width. */
export type OperandMeasure = 'nonZero' | 'widthLeading' | 'widthBoth';

export function widthMeasure(leadingBit: boolean): OperandMeasure {
  return leadingBit ? 'widthLeading' : 'widthBoth';
}

// Separate loops per measure keep every call site monomorphic (these run over millions of weights).
function measureInto(
  values: Int32Array,
  from: number,
  count: number,
  measure: OperandMeasure,
  out: Uint8Array,
  at: number,
) {
  if (measure === 'nonZero') {
    for (let k = 0; k < count; k++) if (values[from + k] !== 0) out[at + k] = 1;
  } else {
    const leading = measure === 'widthLeading';
    for (let k = 0; k < count; k++) {
      const v = values[from + k];
      if (v !== 0) out[at + k] = valueWidth(v, leading);
    }
  }
}

/** The measure of every activation over the padded input [C][Nh][Nw] (padding zeros measure 0). */
export function paddedMeasure(input: AccelLayerInput, measure: OperandMeasure): Uint8Array {
  const g = input.geometry;
  const Nh = g.H + 2 * g.pad;
  const Nw = g.W + 2 * g.pad;
  const out = new Uint8Array(g.C * Nh * Nw);
  for (let c = 0; c < g.C; c++)
    for (let h = 0; h < g.H; h++)
      measureInto(input.act, (c * g.H + h) * g.W, g.W, measure, out, (c * Nh + h + g.pad) * Nw + g.pad);
  return out;
}

/** Σ over filters of the measure of W[k][c][i][j], for every slot (c, i, j). */
export function filterSums(input: AccelLayerInput, measure: OperandMeasure): Float64Array {
  const g = input.geometry;
  const slots = g.C * g.Kh * g.Kw;
  const out = new Float64Array(slots);
  const row = new Uint8Array(slots);
  for (let k = 0; k < g.K; k++) {
    row.fill(0);
    measureInto(input.wgt, k * slots, slots, measure, row, 0);
    for (let q = 0; q < slots; q++) out[q] += row[q];
  }
  return out;
}
