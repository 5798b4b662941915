/**
 * Laconic (accelerators.md §7): both operands term-serial; a lane's product costs T(a)·T(w) term pairs and a
 * step waits for the slowest lane, row and column of its tile.
 */
import { cdiv, layerMacs } from '../types';
import { termCountsOf, termCountTable } from '../terms';
import { weightTermSums, type WeightTermSums } from './laconicMaxima';
import { makeResult, potentialOf } from './run';
import { convCycles, fcCycles, LACONIC_PARAMS, prepareLaconic, readLaconicOptions } from './laconicCore';
import { laconicTrace } from './laconicTrace';
import { originalCoverage } from './termGrid';
import { dadnGridCycles, gridGeometry } from './gridParams';
import type { AccelLayerInput, AcceleratorModel, LayerResult, Params } from './types';
import type { LayerGeometry } from '../types';

/**
 * Exact Σ_MACs T(a)·T(w) and the number of MACs whose product has no term pair, on the original geometry
 * (§7.3): Σ_{c,i,j} (Σ_windows Ta)·(Σ_filters Tw), and per (c,i,j) windows·filters − nzA·nzW zero pairs.
 * `Ta` are the counts of the padded original input [C][Nh][Nw]; `weights` the per-(c, i, j) sums of T(w).
 */
export function termPairSums(
  g: LayerGeometry,
  Ta: Uint8Array,
  weights: WeightTermSums,
): { pairs: number; zeroPairs: number } {
  const Nh = g.H + 2 * g.pad;
  const Nw = g.W + 2 * g.pad;
  const Oh = Math.floor((Nh - g.Kh) / g.stride) + 1;
  const Ow = Math.floor((Nw - g.Kw) / g.stride) + 1;
  const kernel = g.Kh * g.Kw;
  const sumW = weights.sum;
  const nzW = weights.nonZero;
  // Σ_windows Ta per (c, i, j), separably: first along w for each padded row h and kernel column j, then
  // along h. Same for the non-zero counts.
  const s = g.stride;
  const rowSum = new Float64Array(Nh * g.Kw);
  const rowNz = new Float64Array(Nh * g.Kw);
  let pairs = 0;
  let zeroPairs = 0;
  for (let c = 0; c < g.C; c++) {
    for (let h = 0; h < Nh; h++) {
      const row = (c * Nh + h) * Nw;
      for (let j = 0; j < g.Kw; j++) {
        let sum = 0;
        let nz = 0;
        for (let ow = 0; ow < Ow; ow++) {
          const t = Ta[row + s * ow + j];
          sum += t;
          if (t !== 0) nz++;
        }
        rowSum[h * g.Kw + j] = sum;
        rowNz[h * g.Kw + j] = nz;
      }
    }
    for (let i = 0; i < g.Kh; i++) {
      for (let j = 0; j < g.Kw; j++) {
        let sumA = 0;
        let nzA = 0;
        for (let oh = 0; oh < Oh; oh++) {
          sumA += rowSum[(s * oh + i) * g.Kw + j];
          nzA += rowNz[(s * oh + i) * g.Kw + j];
        }
        const x = c * kernel + i * g.Kw + j;
        pairs += sumA * sumW[x];
        zeroPairs += Oh * Ow * g.K - nzA * nzW[x];
      }
    }
  }
  return { pairs, zeroPairs };
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
    ? termPairSums(g, layer.actCounts, layer.weightSums)
    : termPairSums(
        g,
        termCountsOf(originalCoverage(input).act, opts.termEncoding),
        weightTermSums(input.wgt, g.C * g.Kh * g.Kw, termCountTable(opts.termEncoding)),
      );
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
