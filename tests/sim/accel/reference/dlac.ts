/**
 * DLAC (accelerators.md §13) written straight from the spec: explicit tiles, chunks, PEs and buffers, each
 * e_b counted pair by pair. `naiveDlacCycles` simulates the grid cycle by cycle instead.
 */
import type { AccelLayerInput, Params } from '../../../../src/sim/accel/types';
import { paddedView, type PaddedView } from './padded';

export interface DlacRefConfig {
  R: number;
  Cg: number;
  U: number;
  B: number;
  mapping: 'windowsPerPE' | 'filtersPerPE';
  L: number;
  skipEmptyChunks: boolean;
}

export function dlacRefConfig(params: Params): DlacRefConfig {
  return {
    R: (params.rows as number) ?? 16,
    Cg: (params.cols as number) ?? 16,
    U: (params.unitsPerPE as number) ?? 2,
    B: (params.buffersPerPE as number) ?? 8,
    mapping: (params.mapping as DlacRefConfig['mapping']) ?? 'windowsPerPE',
    L: (params.chunk as number) ?? 16,
    skipEmptyChunks: (params.skipEmptyChunks as boolean) ?? false,
  };
}

/** The (filter, window) of every buffer of tile (fb, wb), or null when inactive; index [r][c][b]. */
export function tileBuffers(
  v: PaddedView,
  cfg: DlacRefConfig,
  fb: number,
  wb: number,
): ([number, number] | null)[][][] {
  const out: ([number, number] | null)[][][] = [];
  for (let r = 0; r < cfg.R; r++) {
    out.push([]);
    for (let c = 0; c < cfg.Cg; c++) {
      out[r].push([]);
      for (let b = 0; b < cfg.B; b++) {
        const f = cfg.mapping === 'windowsPerPE' ? fb * cfg.R + r : fb * cfg.R * cfg.B + r * cfg.B + b;
        const n = cfg.mapping === 'windowsPerPE' ? wb * cfg.Cg * cfg.B + c * cfg.B + b : wb * cfg.Cg + c;
        out[r][c].push(f < v.K && n < v.Oh * v.Ow ? [f, n] : null);
      }
    }
  }
  return out;
}

export function tileCounts(
  v: PaddedView,
  cfg: DlacRefConfig,
): { filterBlocks: number; windowBlocks: number } {
  const perF = cfg.mapping === 'windowsPerPE' ? cfg.R : cfg.R * cfg.B;
  const perW = cfg.mapping === 'windowsPerPE' ? cfg.Cg * cfg.B : cfg.Cg;
  return { filterBlocks: Math.ceil(v.K / perF), windowBlocks: Math.ceil((v.Oh * v.Ow) / perW) };
}

/** Reduction indices d in [q, q + Lq) where both the weight and the activation are non-zero. */
export function effectualPairs(v: PaddedView, f: number, n: number, q: number, Lq: number): number[] {
  const oh = n % v.Oh;
  const ow = Math.floor(n / v.Oh);
  const out: number[] = [];
  for (let d = q; d < q + Lq; d++) {
    const c = d % v.C;
    const ij = Math.floor(d / v.C);
    const i = Math.floor(ij / v.Kw);
    const j = ij % v.Kw;
    if (v.w(f, c, i, j) !== 0 && v.a(c, v.s * oh + i, v.s * ow + j) !== 0) out.push(d);
  }
  return out;
}

export interface DlacReference {
  cycles: number;
  denseCycles: number;
  pairs: number;
  /** Cycles of each tile, [fb][wb]. */
  tileCycles: number[][];
}

export function referenceDlac(input: AccelLayerInput, params: Params): DlacReference {
  const cfg = dlacRefConfig(params);
  const v = paddedView(input);
  const D = v.Kh * v.Kw * v.C;
  const { filterBlocks, windowBlocks } = tileCounts(v, cfg);
  let cycles = 0;
  let denseCycles = 0;
  let pairs = 0;
  const tileCycles: number[][] = [];
  for (let fb = 0; fb < filterBlocks; fb++) {
    tileCycles.push([]);
    for (let wb = 0; wb < windowBlocks; wb++) {
      const bufs = tileBuffers(v, cfg, fb, wb);
      let tile = 0;
      for (let q = 0; q < D; q += cfg.L) {
        const Lq = Math.min(cfg.L, D - q);
        let gridCost = 0;
        let gridDense = 0;
        for (let r = 0; r < cfg.R; r++)
          for (let c = 0; c < cfg.Cg; c++) {
            const e: number[] = [];
            for (const buf of bufs[r][c]) if (buf) e.push(effectualPairs(v, buf[0], buf[1], q, Lq).length);
            if (e.length === 0) continue;
            const S = e.reduce((x, y) => x + y, 0);
            const Mx = Math.max(...e);
            const peCost = S === 0 ? (cfg.skipEmptyChunks ? 0 : 1) : Math.max(Math.ceil(S / cfg.U), Mx);
            const peDense = Math.max(Math.ceil((e.length * Lq) / cfg.U), Lq);
            gridCost = Math.max(gridCost, peCost);
            gridDense = Math.max(gridDense, peDense);
            pairs += S;
          }
        tile += gridCost;
        denseCycles += gridDense;
      }
      tileCycles[fb].push(tile);
      cycles += tile;
    }
  }
  return { cycles, denseCycles, pairs, tileCycles };
}

/** (input, params) → cycles (conv cycles, without point-wise cycles), for the bench and equality tests. */
export function dlacReferenceCycles(input: AccelLayerInput, params: Params): number {
  return referenceDlac(input, params).cycles;
}
