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
  { name: 'clockMHz', type: 'number', default: 500, min: 1, max: 10000, description: 'Clock for FLOP/s figures' },
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
  /** Filter f, chunk q, word w at fw[(f·chunks + q)·words + w]; windows likewise in aw. */
  fw: Int32Array;
  aw: Int32Array;
  filterBlocks: number;
  windowBlocks: number;
}

/** Packs a reduction vector given by `bit(d)` for d < D into chunk-aligned words at `out[offset..]`. */
function packReduction(out: Int32Array, offset: number, L: number, words: number, bits: Uint8Array): void {
  let q = 0;
  let o = 0;
  for (let d = 0; d < bits.length; d++) {
    if (bits[d]) out[offset + q * words + (o >>> 5)] |= 1 << (o & 31);
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
  const stride = chunks * words;

  // Activations in [h][w][c] order so that one kernel position of a window is a contiguous run of C bits.
  const chw = nonZeroMask(padActivations(input.act, C, g.H, g.W, g.pad));
  const plane = Nh * Nw;
  const hwc = new Uint8Array(chw.length);
  for (let c = 0; c < C; c++) for (let p = 0; p < plane; p++) hwc[p * C + c] = chw[c * plane + p];

  const aw = new Int32Array(windows * stride);
  const vec = new Uint8Array(D);
  for (let n = 0; n < windows; n++) {
    const oh = n % Oh;
    const ow = Math.floor(n / Oh);
    for (let i = 0; i < Kh; i++)
      for (let j = 0; j < Kw; j++) {
        const src = ((s * oh + i) * Nw + s * ow + j) * C;
        vec.set(hwc.subarray(src, src + C), (i * Kw + j) * C);
      }
    packReduction(aw, n * stride, cfg.L, words, vec);
  }

  const fw = new Int32Array(K * stride);
  const taps = Kh * Kw;
  for (let f = 0; f < K; f++) {
    for (let c = 0; c < C; c++)
      for (let t = 0; t < taps; t++) vec[t * C + c] = input.wgt[(f * C + c) * taps + t] !== 0 ? 1 : 0;
    packReduction(fw, f * stride, cfg.L, words, vec);
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

/** Output buffers of one tile: buffer x = (r·Cg + c)·B + b holds (filterOf[x], windowOf[x]); −1 = inactive. */
export interface DlacTile {
  filterBlock: number;
  windowBlock: number;
  filterOf: Int32Array;
  windowOf: Int32Array;
  /** Active buffers per PE (r·Cg + c). */
  activePerPE: Int32Array;
}

export function dlacTile(layer: DlacLayer, filterBlock: number, windowBlock: number): DlacTile {
  const { R, Cg, B, mapping } = layer.cfg;
  const filterOf = new Int32Array(R * Cg * B).fill(-1);
  const windowOf = new Int32Array(R * Cg * B).fill(-1);
  const activePerPE = new Int32Array(R * Cg);
  for (let r = 0; r < R; r++)
    for (let c = 0; c < Cg; c++)
      for (let b = 0; b < B; b++) {
        const f = mapping === 'windowsPerPE' ? filterBlock * R + r : filterBlock * R * B + r * B + b;
        const n = mapping === 'windowsPerPE' ? windowBlock * Cg * B + c * B + b : windowBlock * Cg + c;
        if (f >= layer.K || n >= layer.windows) continue;
        const x = (r * Cg + c) * B + b;
        filterOf[x] = f;
        windowOf[x] = n;
        activePerPE[r * Cg + c]++;
      }
  return { filterBlock, windowBlock, filterOf, windowOf, activePerPE };
}

const POP16 = (() => {
  const t = new Uint8Array(1 << 16);
  for (let i = 1; i < t.length; i++) t[i] = t[i >>> 1] + (i & 1);
  return t;
})();

function popcount32(x: number): number {
  return POP16[x & 0xffff] + POP16[x >>> 16];
}

/** e_b of chunk q for every buffer of the tile (0 for inactive buffers), written into `e`. */
export function chunkCounts(layer: DlacLayer, tile: DlacTile, q: number, e: Int32Array): void {
  const { fw, aw, words } = layer;
  const stride = layer.chunks * words;
  const { filterOf, windowOf } = tile;
  const qo = q * words;
  if (words === 1 && layer.cfg.L <= 16) {
    for (let x = 0; x < filterOf.length; x++) {
      const f = filterOf[x];
      e[x] = f < 0 ? 0 : POP16[fw[f * stride + qo] & aw[windowOf[x] * stride + qo]];
    }
    return;
  }
  for (let x = 0; x < filterOf.length; x++) {
    const f = filterOf[x];
    if (f < 0) {
      e[x] = 0;
      continue;
    }
    const fo = f * stride + qo;
    const ao = windowOf[x] * stride + qo;
    let sum = 0;
    for (let w = 0; w < words; w++) sum += popcount32(fw[fo + w] & aw[ao + w]);
    e[x] = sum;
  }
}

/** peCost of §13.2 for a PE with total S and largest per-buffer count Mx of effectual pairs. */
export function peCost(S: number, Mx: number, U: number, skipEmptyChunks: boolean): number {
  if (S === 0) return skipEmptyChunks ? 0 : 1;
  return Math.max(cdiv(S, U), Mx);
}

/** Grid cost of one chunk: the slowest PE that has at least one active buffer. */
export function chunkCost(layer: DlacLayer, tile: DlacTile, e: Int32Array): number {
  const { U, B, skipEmptyChunks } = layer.cfg;
  const { activePerPE } = tile;
  let grid = 0;
  for (let p = 0; p < activePerPE.length; p++) {
    if (activePerPE[p] === 0) continue;
    let S = 0;
    let Mx = 0;
    for (let x = p * B; x < p * B + B; x++) {
      const v = e[x];
      S += v;
      if (v > Mx) Mx = v;
    }
    const cost = peCost(S, Mx, U, skipEmptyChunks);
    if (cost > grid) grid = cost;
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
  const e = new Int32Array(tile.filterOf.length);
  let cycles = 0;
  for (let q = 0; q < layer.chunks; q++) {
    chunkCounts(layer, tile, q, e);
    const c = chunkCost(layer, tile, e);
    if (costs) costs[q] = c;
    cycles += c;
  }
  return cycles;
}
