import { T_TABLE } from './terms';
import { outSize, type LayerGeometry } from './types';

/** Booth-like term count of a code (accelerators.md §2). */
function terms(v: number): number {
  return T_TABLE[v < 0 ? -v : v];
}

export function zeroFraction(codes: Int32Array): number {
  let zeros = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] === 0) zeros++;
  return codes.length ? zeros / codes.length : 0;
}

export function meanTerms(codes: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < codes.length; i++) sum += terms(codes[i]);
  return codes.length ? sum / codes.length : 0;
}

/** Histogram of booth-like term counts: result[t] = number of codes with t terms. */
export function termHistogram(codes: Int32Array): number[] {
  const h = new Array<number>(17).fill(0);
  for (let i = 0; i < codes.length; i++) h[terms(codes[i])]++;
  return trimZeros(h);
}

function trimZeros(h: number[]): number[] {
  let end = h.length;
  while (end > 1 && h[end - 1] === 0) end--;
  return h.slice(0, end);
}

/**
 * For every reduction position (c, i, j): the histogram of activation term counts over all windows and of
 * weight term counts over all filters. Every MAC pairs one of each, so these give exact per-pair statistics
 * without visiting the MACs one by one.
 */
function positionHistograms(g: LayerGeometry, act: Int32Array, wgt: Int32Array, visit: (ha: Float64Array, hw: Float64Array) => void) {
  const Oh = outSize(g.H, g.Kh, g.stride, g.pad);
  const Ow = outSize(g.W, g.Kw, g.stride, g.pad);
  const ha = new Float64Array(17);
  const hw = new Float64Array(17);
  for (let c = 0; c < g.C; c++)
    for (let i = 0; i < g.Kh; i++)
      for (let j = 0; j < g.Kw; j++) {
        ha.fill(0);
        hw.fill(0);
        for (let oh = 0; oh < Oh; oh++) {
          const h = oh * g.stride + i - g.pad;
          for (let ow = 0; ow < Ow; ow++) {
            const w = ow * g.stride + j - g.pad;
            const inside = h >= 0 && h < g.H && w >= 0 && w < g.W;
            ha[inside ? terms(act[(c * g.H + h) * g.W + w]) : 0]++; // padding is a zero operand
          }
        }
        for (let k = 0; k < g.K; k++) hw[terms(wgt[((k * g.C + c) * g.Kh + i) * g.Kw + j])]++;
        visit(ha, hw);
      }
}

/** Histogram of T(a)·T(w) over all MACs of the layer (result[p] = MACs whose pair has p term pairs). */
export function pairTermHistogram(g: LayerGeometry, act: Int32Array, wgt: Int32Array): number[] {
  const h = new Array<number>(17 * 17).fill(0);
  positionHistograms(g, act, wgt, (ha, hw) => {
    for (let x = 0; x < 17; x++) if (ha[x]) for (let y = 0; y < 17; y++) if (hw[y]) h[x * y] += ha[x] * hw[y];
  });
  return trimZeros(h);
}

/**
 * Laconic-style potential (accelerators.md §7.3, zero count on): MACs·Wb² / Σ max(1, T(a)T(w)), with padding
 * counted as zero activations as the reference does.
 */
export function termPotential(g: LayerGeometry, act: Int32Array, wgt: Int32Array, wb: number, macs: number): number {
  let bits = 0;
  positionHistograms(g, act, wgt, (ha, hw) => {
    let sa = 0;
    let sw = 0;
    let na = 0;
    let nw = 0;
    for (let x = 0; x < 17; x++) {
      sa += x * ha[x];
      sw += x * hw[x];
      na += ha[x];
      nw += hw[x];
    }
    // Pairs with a zero term count cost 1 each: all pairs minus those where both counts are non-zero.
    bits += sa * sw + (na * nw - (na - ha[0]) * (nw - hw[0]));
  });
  return (macs * wb * wb) / Math.max(bits, 1);
}

/** Equal-width histogram of a float tensor over [min, max] (both ends included). */
export function valueHistogram(x: ArrayLike<number>, bins = 60): { edges: number[]; counts: number[] } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < lo) lo = x[i];
    if (x[i] > hi) hi = x[i];
  }
  if (!(hi > lo)) {
    lo = Number.isFinite(lo) ? lo - 0.5 : -0.5;
    hi = lo + 1;
  }
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < x.length; i++) counts[Math.min(bins - 1, Math.floor((x[i] - lo) / width))]++;
  const edges = Array.from({ length: bins + 1 }, (_, b) => lo + b * width);
  return { edges, counts };
}
