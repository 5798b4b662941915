/**
 * Laconic (accelerators.md §7): both operands term-serial; a lane's product costs T(a)·T(w) term pairs and a
 * step waits for the slowest lane, row and column of its tile.
 */
import { cdiv, layerMacs } from '../types';
import { termCountTable } from '../terms';
import { weightTermSums, type WeightTermSums } from './laconicMaxima';
import { preparedTerms } from './termGrid';
import { makeResult, potentialOf } from './run';
import { convCycles, fcCycles, LACONIC_PARAMS, prepareLaconic, readLaconicOptions } from './laconicCore';
import { laconicTrace } from './laconicTrace';
import { dadnGridCycles, gridGeometry } from './gridParams';
import type { AccelLayerInput, AcceleratorModel, LayerResult, Params } from './types';
import type { LayerGeometry } from '../types';

/**
 * Exact Σ_MACs T(a)·T(w) and the number of MACs whose product has no term pair, on the original geometry
 * (§7.3): Σ_{c,i,j} (Σ_windows Ta)·(Σ_filters Tw), and per (c,i,j) windows·filters − nzA·nzW zero pairs.
 * `Ta` are the counts of the padded original input, position-major [Nh·Nw][cPad]; `weights` the
 * per-(c, i, j) sums of T(w). Every sum is an integer below 2^53, so the order of additions is free.
 */
export function termPairSums(
  g: LayerGeometry,
  Ta: Uint8Array,
  cPad: number,
  weights: WeightTermSums,
): { pairs: number; zeroPairs: number } {
  const Nh = g.H + 2 * g.pad;
  const Nw = g.W + 2 * g.pad;
  const Oh = Math.floor((Nh - g.Kh) / g.stride) + 1;
  const Ow = Math.floor((Nw - g.Kw) / g.stride) + 1;
  const { C, Kh, Kw, stride: s } = g;
  const kernel = Kh * Kw;
  // Σ_windows Ta per (c, i, j), separably: along w for each padded row h and kernel column j from strided
  // prefix sums of the row (prefix at w = Σ at w, w − s, w − 2s, ...), then along h. Same for the non-zeros.
  const rowSum = new Int32Array(Nh * Kw * cPad);
  const rowNz = new Int32Array(Nh * Kw * cPad);
  const prefix = new Int32Array(Nw * cPad);
  const prefixNz = new Int32Array(Nw * cPad);
  const span = s * (Ow - 1);
  for (let h = 0; h < Nh; h++) {
    const row = h * Nw * cPad;
    for (let x = 0; x < Nw * cPad; x++) {
      const t = Ta[row + x];
      const back = x >= s * cPad ? x - s * cPad : -1;
      prefix[x] = (back >= 0 ? prefix[back] : 0) + t;
      prefixNz[x] = (back >= 0 ? prefixNz[back] : 0) + Math.min(t, 1); // branch-free: zeros are data-random
    }
    for (let j = 0; j < Kw; j++) {
      const hi = (j + span) * cPad;
      const lo = (j - s) * cPad;
      const at = (h * Kw + j) * cPad;
      for (let c = 0; c < C; c++) {
        rowSum[at + c] = prefix[hi + c] - (lo >= 0 ? prefix[lo + c] : 0);
        rowNz[at + c] = prefixNz[hi + c] - (lo >= 0 ? prefixNz[lo + c] : 0);
      }
    }
  }
  const sumW = weights.sum;
  const nzW = weights.nonZero;
  const dense = Oh * Ow * g.K;
  let pairs = 0;
  let zeroPairs = 0;
  for (let i = 0; i < Kh; i++)
    for (let j = 0; j < Kw; j++)
      for (let c = 0; c < C; c++) {
        let sumA = 0;
        let nzA = 0;
        for (let oh = 0; oh < Oh; oh++) {
          const at = ((s * oh + i) * Kw + j) * cPad + c;
          sumA += rowSum[at];
          nzA += rowNz[at];
        }
        const x = c * kernel + i * Kw + j;
        pairs += sumA * sumW[x];
        zeroPairs += dense - nzA * nzW[x];
      }
  return { pairs, zeroPairs };
}

/** termPairSums of a layer whose prepared tensors went through §1.4: on its original tensors. */
function originalTermPairSums(
  input: AccelLayerInput,
  counts: Uint8Array,
): { pairs: number; zeroPairs: number } {
  const { C, Kh, Kw } = input.geometry;
  const { cPad, terms } = preparedTerms(input, false, 1, counts, Uint8Array);
  return termPairSums(input.geometry, terms, cPad, weightTermSums(input.wgt, C * Kh * Kw, counts));
}

export function simulateLaconic(input: AccelLayerInput, params: Params): LayerResult {
  const opts = readLaconicOptions(params, input);
  const { grid } = opts;
  const layer = prepareLaconic(input, opts);
  const cycles = layer.isFc ? fcCycles(layer) : convCycles(layer);
  const slotsPerCycle = grid.lanes * grid.columns * grid.rows * grid.tiles;
  const macs = layerMacs(input.geometry);
  // The prepared tensors are the padded originals unless the first-layer transform ran.
  const g = input.geometry;
  const { pairs, zeroPairs } = layer.weightSums
    ? termPairSums(g, layer.actTerms, layer.cPad, layer.weightSums)
    : originalTermPairSums(input, termCountTable(opts.termEncoding));
  const potentialBits = opts.zeroCount ? pairs + zeroPairs : pairs;
  return makeResult({
    model: 'laconic',
    layer: input.name,
    cycles,
    baselineCycles: dadnGridCycles(gridGeometry(input, grid.spaceToDepth), grid),
    macs,
    effectualWork: pairs,
    unit: 'termPair',
    slotsPerCycle,
    // Skipped: the bit pairs a bit-serial-both engine (Loom at the layer precisions, Pa·Pw per MAC) would
    // process, minus the term pairs Laconic processes.
    skippedWork: Math.max(0, macs * input.pa * input.pw - pairs),
    potential: potentialOf(macs, grid.wb, potentialBits),
    stalls: { sync: Math.max(0, cycles - cdiv(pairs, slotsPerCycle)) },
  });
}

export const laconic: AcceleratorModel = {
  id: 'laconic',
  name: 'Laconic',
  summary: 'Skips zero bits of both operands: each product is processed as T(a)·T(w) term pairs.',
  params: LACONIC_PARAMS,
  appliesTo: () => true,
  simulate: simulateLaconic,
  trace: laconicTrace,
};
