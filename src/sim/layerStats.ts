import { T_TABLE } from './terms';
import { outSize, type LayerGeometry } from './types';

/**
 * Booth-like term counts by magnitude (accelerators.md §2). A module-level copy of the binding: module
 * loaders that rewrite imports into property reads (tsx, vitest) make an imported name ~10x slower in a
 * hot loop.
 */
const T: Uint8Array = T_TABLE;
/** Term counts 0..16 of a 16-bit code: histogram bins per reduction position. */
const BINS = 17;

export function zeroFraction(codes: Int32Array): number {
  let zeros = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] === 0) zeros++;
  return codes.length ? zeros / codes.length : 0;
}

export function meanTerms(codes: Int32Array): number {
  let sum = 0;
  for (let i = 0; i < codes.length; i++) {
    const v = codes[i];
    sum += T[v < 0 ? -v : v];
  }
  return codes.length ? sum / codes.length : 0;
}

/** Histogram of booth-like term counts: result[t] = number of codes with t terms. */
export function termHistogram(codes: Int32Array): number[] {
  const h = new Array<number>(BINS).fill(0);
  for (let i = 0; i < codes.length; i++) {
    const v = codes[i];
    h[T[v < 0 ? -v : v]]++;
  }
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
function positionHistograms(
  g: LayerGeometry,
  act: Int32Array,
  wgt: Int32Array,
  visit: (ha: Float64Array, hw: Float64Array) => void,
) {
  const Oh = outSize(g.H, g.Kh, g.stride, g.pad);
  const Ow = outSize(g.W, g.Kw, g.stride, g.pad);
  const positions = g.C * g.Kh * g.Kw;
  // Weight histograms of all positions in one sequential pass: reading filter by filter per position would
  // stride through the whole tensor once per position.
  const weightHist = new Float64Array(positions * BINS);
  for (let k = 0; k < g.K; k++) {
    const base = k * positions;
    for (let p = 0; p < positions; p++) {
      const v = wgt[base + p];
      weightHist[p * BINS + T[v < 0 ? -v : v]]++;
    }
  }
  const ha = new Float64Array(BINS);
  for (let c = 0; c < g.C; c++)
    for (let i = 0; i < g.Kh; i++)
      for (let j = 0; j < g.Kw; j++) {
        ha.fill(0);
        for (let oh = 0; oh < Oh; oh++) {
          const h = oh * g.stride + i - g.pad;
          if (h < 0 || h >= g.H) {
            ha[0] += Ow; // a padded row: every window reads a zero operand
            continue;
          }
          const row = (c * g.H + h) * g.W;
          for (let ow = 0; ow < Ow; ow++) {
            const w = ow * g.stride + j - g.pad;
            if (w < 0 || w >= g.W)
              ha[0]++; // padding is a zero operand
            else {
              const v = act[row + w];
              ha[T[v < 0 ? -v : v]]++;
            }
          }
        }
        const p = (c * g.Kh + i) * g.Kw + j;
        visit(ha, weightHist.subarray(p * BINS, (p + 1) * BINS));
      }
}

/** Histogram of T(a)·T(w) over all MACs of the layer (result[p] = MACs whose pair has p term pairs). */
export function pairTermHistogram(g: LayerGeometry, act: Int32Array, wgt: Int32Array): number[] {
  const h = new Array<number>(BINS * BINS).fill(0);
  positionHistograms(g, act, wgt, (ha, hw) => {
    for (let x = 0; x < BINS; x++)
      if (ha[x]) for (let y = 0; y < BINS; y++) if (hw[y]) h[x * y] += ha[x] * hw[y];
  });
  return trimZeros(h);
}

/**
 * Σ over all MACs of max(1, T(a)·T(w)): the bit-pair work of the Laconic-style potential (accelerators.md
 * §7.3, zero count on), with padding counted as zero activations as the reference does.
 */
export function termPairBits(g: LayerGeometry, act: Int32Array, wgt: Int32Array): number {
  let bits = 0;
  positionHistograms(g, act, wgt, (ha, hw) => {
    let sa = 0;
    let sw = 0;
    let na = 0;
    let nw = 0;
    for (let x = 0; x < BINS; x++) {
      sa += x * ha[x];
      sw += x * hw[x];
      na += ha[x];
      nw += hw[x];
    }
    // Pairs with a zero term count cost 1 each: all pairs minus those where both counts are non-zero.
    bits += sa * sw + (na * nw - (na - ha[0]) * (nw - hw[0]));
  });
  return bits;
}

/** Laconic-style potential: MACs·Wb² / termPairBits. */
export function termPotential(
  g: LayerGeometry,
  act: Int32Array,
  wgt: Int32Array,
  wb: number,
  macs: number,
): number {
  return (macs * wb * wb) / Math.max(termPairBits(g, act, wgt), 1);
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
