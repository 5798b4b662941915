/**
 * DLAC reconstruction (accelerators.md §13): tiles, chunks and the per-chunk grid cost. The cycle count
 * (dlac.ts) and the trace (dlacTrace.ts) both go through `chunkCounts` + `chunkCost`.
 *
 * Masks are bit-packed per chunk: a chunk of L reduction indices d = (i·Kw + j)·C + c occupies
 * ceil(L/32) 32-bit words, so e_b = Σ popcount(filterWord & windowWord) over those words.
 */
import { cdiv } from '../types';
import { padActivations } from './grid';
import { nonZeroMask, readBool, readEnum, readInt, readNumber } from './sparseParams';
import type { AccelLayerInput, ParamSpec, Params } from './types';

export type DlacMapping = 'windowsPerPE' | 'filtersPerPE';

export const DLAC_PARAMS: readonly ParamSpec[] = [
  { name: 'rows', type: 'int', default: 16, min: 1, max: 256, description: 'PE rows R (filters)' },
  { name: 'cols', type: 'int', default: 16, min: 1, max: 256, description: 'PE columns Cg (output windows)' },
  {
    name: 'unitsPerPE',
    type: 'int',
    default: 2,
    min: 1,
    max: 64,
    description: 'Arithmetic units U per PE (2: FP32 training mode, 1: FP16 inference mode)',
  },
  {
    name: 'buffersPerPE',
    type: 'int',
    default: 8,
    min: 1,
    max: 64,
    description: 'Output buffers B per PE; one accumulation per buffer per cycle',
  },
  {
    name: 'mapping',
    type: 'enum',
    default: 'windowsPerPE',
    options: ['windowsPerPE', 'filtersPerPE'],
    description: 'PE (r, c) owns B windows of filter r, or B filters of window c',
  },
  {
    name: 'chunk',
    type: 'int',
    default: 16,
    min: 1,
    max: 4096,
    description: 'Chunk length L (kernel position × channel pairs); the grid synchronises after each chunk',
  },
  {
    name: 'skipEmptyChunks',
    type: 'boolean',
    default: false,
    description: 'A chunk in which no PE has effectual work costs 0 cycles (else 1)',
  },
  {
    name: 'includePointwise',
    type: 'boolean',
    default: false,
    description: 'Add the point-wise cycles (BN, ReLU/threshold, residual add) into the layer cycles',
  },
  {
    name: 'clockMHz',
    type: 'number',
    default: 500,
    min: 1,
    max: 10000,
    description: 'Clock for FLOP/s figures',
  },
];

export interface DlacConfig {
  R: number;
  Cg: number;
  U: number;
  B: number;
  mapping: DlacMapping;
  L: number;
  skipEmptyChunks: boolean;
  includePointwise: boolean;
  clockMHz: number;
}

export function readDlacConfig(params: Params): DlacConfig {
  return {
    R: readInt(DLAC_PARAMS, params, 'rows'),
    Cg: readInt(DLAC_PARAMS, params, 'cols'),
    U: readInt(DLAC_PARAMS, params, 'unitsPerPE'),
    B: readInt(DLAC_PARAMS, params, 'buffersPerPE'),
    mapping: readEnum<DlacMapping>(DLAC_PARAMS, params, 'mapping'),
    L: readInt(DLAC_PARAMS, params, 'chunk'),
    skipEmptyChunks: readBool(DLAC_PARAMS, params, 'skipEmptyChunks'),
    includePointwise: readBool(DLAC_PARAMS, params, 'includePointwise'),
    clockMHz: readNumber(DLAC_PARAMS, params, 'clockMHz'),
  };
}

export interface DlacLayer {
  cfg: DlacConfig;
  K: number;
  Oh: number;
  Ow: number;
  windows: number;
  /** Reduction length Kh·Kw·C. */
  D: number;
  chunks: number;
  /** 32-bit words per chunk. */
  words: number;
  /** Chunk q, word w of filter f at fw[(q·words + w)·K + f]; of window n at aw[(q·words + w)·windows + n]. */
  fw: Int32Array;
  aw: Int32Array;
  filterBlocks: number;
  windowBlocks: number;
}

/** Packs the reduction vector `bits` (d < D) of item `item` into chunk-aligned words of a [q][w][item] array. */
function packReduction(
  out: Int32Array,
  items: number,
  item: number,
  L: number,
  words: number,
  bits: Uint8Array,
): void {
  let q = 0;
  let o = 0;
  for (let d = 0; d < bits.length; d++) {
    if (bits[d]) out[(q * words + (o >>> 5)) * items + item] |= 1 << (o & 31);
    if (++o === L) {
      o = 0;
      q++;
    }
  }
}

export function prepareDlac(input: AccelLayerInput, cfg: DlacConfig): DlacLayer {
  const g = input.geometry;
  const Nh = g.H + 2 * g.pad;
  const Nw = g.W + 2 * g.pad;
  const Oh = Math.floor((Nh - g.Kh) / g.stride) + 1;
  const Ow = Math.floor((Nw - g.Kw) / g.stride) + 1;
  const { C, K, Kh, Kw, stride: s } = g;
  const D = Kh * Kw * C;
  const windows = Oh * Ow;
  const chunks = cdiv(D, cfg.L);
  const words = cdiv(cfg.L, 32);

  const aw = new Int32Array(chunks * words * windows);
  const fw = new Int32Array(chunks * words * K);
  const mask = nonZeroMask(padActivations(input.act, C, g.H, g.W, g.pad));
  const taps = Kh * Kw;
  if (C % cfg.L === 0 && cfg.L <= 32) {
    // Chunks never straddle a kernel position: chunk q = (tap, channel block), one word per pixel and block.
    const blocks = C / cfg.L;
    const plane = Nh * Nw;
    const pixel = new Int32Array(plane * blocks);
    for (let c = 0; c < C; c++) {
      const bit = 1 << (c % cfg.L);
      const cb = Math.floor(c / cfg.L);
      for (let p = 0; p < plane; p++) if (mask[c * plane + p]) pixel[p * blocks + cb] |= bit;
    }
    for (let t = 0; t < taps; t++) {
      const i = Math.floor(t / Kw);
      const j = t % Kw;
      for (let cb = 0; cb < blocks; cb++) {
        const row = (t * blocks + cb) * windows;
        for (let n = 0; n < windows; n++) {
          const oh = n % Oh;
          const ow = (n - oh) / Oh;
          aw[row + n] = pixel[((s * oh + i) * Nw + s * ow + j) * blocks + cb];
        }
      }
    }
    for (let f = 0; f < K; f++)
      for (let c = 0; c < C; c++) {
        const bit = 1 << (c % cfg.L);
        const cb = Math.floor(c / cfg.L);
        const src = (f * C + c) * taps;
        for (let t = 0; t < taps; t++) if (input.wgt[src + t] !== 0) fw[(t * blocks + cb) * K + f] |= bit;
      }
  } else {
    // General chunking: gather each reduction vector d = (i·Kw + j)·C + c, then pack it.
    const vec = new Uint8Array(D);
    for (let n = 0; n < windows; n++) {
      const oh = n % Oh;
      const ow = Math.floor(n / Oh);
      for (let i = 0; i < Kh; i++)
        for (let j = 0; j < Kw; j++)
          for (let c = 0; c < C; c++)
            vec[(i * Kw + j) * C + c] = mask[(c * Nh + s * oh + i) * Nw + s * ow + j];
      packReduction(aw, windows, n, cfg.L, words, vec);
    }
    for (let f = 0; f < K; f++) {
      for (let c = 0; c < C; c++)
        for (let t = 0; t < taps; t++) vec[t * C + c] = input.wgt[(f * C + c) * taps + t] !== 0 ? 1 : 0;
      packReduction(fw, K, f, cfg.L, words, vec);
    }
  }

  const perTileFilters = cfg.mapping === 'windowsPerPE' ? cfg.R : cfg.R * cfg.B;
  const perTileWindows = cfg.mapping === 'windowsPerPE' ? cfg.Cg * cfg.B : cfg.Cg;
  return {
    cfg,
    K,
    Oh,
    Ow,
    windows,
    D,
    chunks,
    words,
    fw,
    aw,
    filterBlocks: cdiv(K, perTileFilters),
    windowBlocks: cdiv(windows, perTileWindows),
  };
}

/**
 * One tile (§13.1). Buffer x = (r·Cg + c)·B + b of PE (r, c) holds output (f0 + r·fStride + b·fStep,
 * w0 + c·wStride + b·wStep); out-of-range outputs are inactive. Active filters / windows form prefixes.
 */
export interface DlacTile {
  filterBlock: number;
  windowBlock: number;
  f0: number;
  w0: number;
  /** Filters and windows of the tile that exist (the rest of the tile is inactive). */
  filters: number;
  windowsInTile: number;
  /** Buffer x → output, −1 = inactive (for the trace and for tests). */
  filterOf: Int32Array;
  windowOf: Int32Array;
  /** Active buffers per PE (r·Cg + c). */
  activePerPE: Int32Array;
  /** Effectual pairs counted so far by chunkCost on this tile. */
  pairs: number;
}

export function dlacTile(layer: DlacLayer, filterBlock: number, windowBlock: number): DlacTile {
  const { R, Cg, B, mapping } = layer.cfg;
  const byWindows = mapping === 'windowsPerPE';
  const f0 = filterBlock * (byWindows ? R : R * B);
  const w0 = windowBlock * (byWindows ? Cg * B : Cg);
  const filterOf = new Int32Array(R * Cg * B).fill(-1);
  const windowOf = new Int32Array(R * Cg * B).fill(-1);
  const activePerPE = new Int32Array(R * Cg);
  for (let r = 0; r < R; r++)
    for (let c = 0; c < Cg; c++)
      for (let b = 0; b < B; b++) {
        const f = byWindows ? f0 + r : f0 + r * B + b;
        const n = byWindows ? w0 + c * B + b : w0 + c;
        if (f >= layer.K || n >= layer.windows) continue;
        const x = (r * Cg + c) * B + b;
        filterOf[x] = f;
        windowOf[x] = n;
        activePerPE[r * Cg + c]++;
      }
  return {
    filterBlock,
    windowBlock,
    f0,
    w0,
    filters: Math.min(byWindows ? R : R * B, layer.K - f0),
    windowsInTile: Math.min(byWindows ? Cg * B : Cg, layer.windows - w0),
    filterOf,
    windowOf,
    activePerPE,
    pairs: 0,
  };
}

const POP16 = (() => {
  const t = new Uint8Array(1 << 16);
  for (let i = 1; i < t.length; i++) t[i] = t[i >>> 1] + (i & 1);
  return t;
})();

/** Effectual pairs of (filter f, window n) in chunk q. */
export function pairCount(layer: DlacLayer, f: number, n: number, q: number): number {
  const { fw, aw, words, K, windows } = layer;
  let sum = 0;
  for (let w = 0; w < words; w++) {
    const x = fw[(q * words + w) * K + f] & aw[(q * words + w) * windows + n];
    sum += POP16[x & 0xffff] + POP16[x >>> 16];
  }
  return sum;
}

/** peCost of §13.2 for a PE with total S and largest per-buffer count Mx of effectual pairs. */
export function peCost(S: number, Mx: number, U: number, skipEmptyChunks: boolean): number {
  if (S === 0) return skipEmptyChunks ? 0 : 1;
  return Math.max(cdiv(S, U), Mx);
}

/**
 * Grid cost of chunk q of a tile: the slowest PE with at least one active buffer (§13.2). When `e` is given,
 * every buffer's effectual pair count e_b is written to e[(r·Cg + c)·B + b] (0 for inactive buffers); the
 * trace replays the chunk from those counts, so trace and cycle count share this function.
 */
export function chunkCost(layer: DlacLayer, tile: DlacTile, q: number, e?: Int32Array): number {
  const { R, Cg, B, U, skipEmptyChunks, mapping } = layer.cfg;
  if (e) e.fill(0);
  if (layer.words !== 1) return chunkCostGeneric(layer, tile, q, e);
  const { fw, aw, K, windows } = layer;
  const fo = q * K + tile.f0;
  const ao = q * windows + tile.w0;
  const nf = tile.filters;
  const nw = tile.windowsInTile;
  const empty = skipEmptyChunks ? 0 : 1;
  let grid = 0;
  let pairs = 0;
  if (mapping === 'windowsPerPE') {
    const cols = Math.min(Cg, cdiv(nw, B));
    for (let r = 0; r < nf; r++) {
      const fword = fw[fo + r];
      for (let c = 0; c < cols; c++) {
        const bEnd = Math.min(B, nw - c * B);
        let S = 0;
        let Mx = 0;
        for (let b = 0; b < bEnd; b++) {
          const v = POP16[fword & aw[ao + c * B + b]];
          S += v;
          if (v > Mx) Mx = v;
          if (e) e[(r * Cg + c) * B + b] = v;
        }
        const cost = S === 0 ? empty : Math.max(Math.floor((S + U - 1) / U), Mx);
        if (cost > grid) grid = cost;
        pairs += S;
      }
    }
  } else {
    const rows = Math.min(R, cdiv(nf, B));
    for (let c = 0; c < nw; c++) {
      const aword = aw[ao + c];
      for (let r = 0; r < rows; r++) {
        const bEnd = Math.min(B, nf - r * B);
        let S = 0;
        let Mx = 0;
        for (let b = 0; b < bEnd; b++) {
          const v = POP16[fw[fo + r * B + b] & aword];
          S += v;
          if (v > Mx) Mx = v;
          if (e) e[(r * Cg + c) * B + b] = v;
        }
        const cost = S === 0 ? empty : Math.max(Math.floor((S + U - 1) / U), Mx);
        if (cost > grid) grid = cost;
        pairs += S;
      }
    }
  }
  tile.pairs += pairs;
  return grid;
}

/** Chunks longer than 32 pairs: the same rule through the buffer → output map. */
function chunkCostGeneric(layer: DlacLayer, tile: DlacTile, q: number, e?: Int32Array): number {
  const { B, U, skipEmptyChunks } = layer.cfg;
  const { activePerPE, filterOf, windowOf } = tile;
  let grid = 0;
  for (let p = 0; p < activePerPE.length; p++) {
    if (activePerPE[p] === 0) continue;
    let S = 0;
    let Mx = 0;
    for (let x = p * B; x < p * B + B; x++) {
      if (filterOf[x] < 0) continue;
      const v = pairCount(layer, filterOf[x], windowOf[x], q);
      S += v;
      if (v > Mx) Mx = v;
      if (e) e[x] = v;
    }
    tile.pairs += S;
    grid = Math.max(grid, peCost(S, Mx, U, skipEmptyChunks));
  }
  return grid;
}

/** Dense (no skipping) grid cost of a chunk of length Lq: max over active PEs of max(cdiv(nAct·Lq, U), Lq). */
export function chunkDenseCost(layer: DlacLayer, tile: DlacTile, Lq: number): number {
  let maxActive = 0;
  for (let p = 0; p < tile.activePerPE.length; p++) maxActive = Math.max(maxActive, tile.activePerPE[p]);
  return maxActive === 0 ? 0 : Math.max(cdiv(maxActive * Lq, layer.cfg.U), Lq);
}

export function chunkLength(layer: DlacLayer, q: number): number {
  return Math.min(layer.cfg.L, layer.D - q * layer.cfg.L);
}

/** Cycles of one tile (Σ over its chunks of the grid cost); `costs` receives each chunk's cost if given. */
export function dlacTileCycles(layer: DlacLayer, tile: DlacTile, costs?: Int32Array): number {
  let cycles = 0;
  for (let q = 0; q < layer.chunks; q++) {
    const c = chunkCost(layer, tile, q);
    if (costs) costs[q] = c;
    cycles += c;
  }
  return cycles;
}
