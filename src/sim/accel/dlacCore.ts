/**
 * DLAC reconstruction (accelerators.md §13): tiles, chunks and the per-chunk grid cost. The cycle count
 * (dlacCounts.ts) and the trace (dlacTrace.ts) both follow the rule of `slotCosts`.
 *
 * Masks are bit-packed per chunk: a chunk of L reduction indices d = (i·Kw + j)·C + c occupies
 * ceil(L/32) 32-bit words, so e_b = Σ popcount(filterWord & windowWord) over those words. Chunks of at most
 * 16 pairs share a word two by two (chunk 2p in the low half, 2p + 1 in the high half), and the kernel
 * evaluates both chunks of a word in one pass.
 */
import { cdiv } from '../types';
import { packActivations, packWeights } from './dlacPack';
import { readBool, readEnum, readInt, readNumber } from './sparseParams';
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
  /** Chunks per storage slot: 2 when L ≤ 16 (two chunks per 32-bit word), else 1. */
  perSlot: number;
  slots: number;
  /** 32-bit words per slot. */
  words: number;
  /** Slot p, word w of filter f at fw[(p·words + w)·K + f]; of window n at aw[(p·words + w)·windows + n]. */
  fw: Int32Array;
  aw: Int32Array;
  filterBlocks: number;
  windowBlocks: number;
}

export function prepareDlac(input: AccelLayerInput, cfg: DlacConfig): DlacLayer {
  const g = input.geometry;
  const Nh = g.H + 2 * g.pad;
  const Nw = g.W + 2 * g.pad;
  const Oh = Math.floor((Nh - g.Kh) / g.stride) + 1;
  const Ow = Math.floor((Nw - g.Kw) / g.stride) + 1;
  const { C, K, Kh, Kw } = g;
  const D = Kh * Kw * C;
  const windows = Oh * Ow;
  const chunks = cdiv(D, cfg.L);
  const perSlot = cfg.L <= 16 ? 2 : 1;
  const slots = cdiv(chunks, perSlot);
  const layout = { perSlot, words: perSlot === 2 ? 1 : cdiv(cfg.L, 32) };
  const aw = new Int32Array(slots * layout.words * windows);
  const fw = new Int32Array(slots * layout.words * K);
  packActivations(input, cfg.L, layout, Oh, Ow, aw);
  packWeights(input, cfg.L, layout, fw);

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
    perSlot,
    slots,
    words: layout.words,
    fw,
    aw,
    filterBlocks: cdiv(K, perTileFilters),
    windowBlocks: cdiv(windows, perTileWindows),
  };
}

/**
 * One tile (§13.1). Buffer x = (r·Cg + c)·B + b of PE (r, c) holds output (f0 + r, w0 + c·B + b)
 * (windowsPerPE) or (f0 + r·B + b, w0 + c) (filtersPerPE); outputs past K or past the last window are
 * inactive buffers. Active filters / windows of a tile form prefixes of those ranges.
 */
export interface DlacTile {
  filterBlock: number;
  windowBlock: number;
  f0: number;
  w0: number;
  /** Filters and windows of the tile that exist. */
  filters: number;
  windowsInTile: number;
  /** Buffer x → output, −1 = inactive. */
  filterOf: Int32Array;
  windowOf: Int32Array;
  /** Active buffers per PE (r·Cg + c). */
  activePerPE: Int32Array;
  /** Most active buffers of any PE. */
  maxActive: number;
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
    maxActive: activePerPE.reduce((m, v) => Math.max(m, v), 0),
  };
}

/** Set bits of every 16-bit value. */
export const POP16 = (() => {
  const t = new Uint8Array(1 << 16);
  for (let i = 1; i < t.length; i++) t[i] = t[i >>> 1] + (i & 1);
  return t;
})();

/** Effectual pairs of (filter f, window n) in chunk q. */
export function pairCount(layer: DlacLayer, f: number, n: number, q: number): number {
  const { fw, aw, K, windows } = layer;
  if (layer.perSlot === 2) {
    const x = (fw[(q >> 1) * K + f] & aw[(q >> 1) * windows + n]) >>> ((q & 1) << 4);
    return POP16[x & 0xffff];
  }
  let sum = 0;
  for (let w = 0; w < layer.words; w++) {
    const x = fw[(q * layer.words + w) * K + f] & aw[(q * layer.words + w) * windows + n];
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
 * Chunk costs of one storage slot of a tile (chunks p·perSlot and, when two share the slot, the next one):
 * out[0], out[1] = grid costs (the slowest PE with an active buffer, §13.2), out[2], out[3] = effectual
 * pairs; a chunk past the last one gets 0. When e0 / e1 are given, every buffer's e_b of the first / second
 * chunk is written at (r·Cg + c)·B + b (0 for inactive buffers). The cycle count and the trace both use it.
 */
export function slotCosts(
  layer: DlacLayer,
  tile: DlacTile,
  p: number,
  out: Int32Array,
  e0?: Int32Array,
  e1?: Int32Array,
): void {
  const { R, Cg, B, U, skipEmptyChunks, mapping } = layer.cfg;
  if (e0) e0.fill(0);
  if (e1) e1.fill(0);
  out.fill(0);
  if (layer.words !== 1) {
    out[0] = genericChunkCost(layer, tile, p, out, e0);
    return;
  }
  const split = layer.perSlot === 2;
  const second = split && 2 * p + 1 < layer.chunks;
  const { fw, aw, K, windows } = layer;
  const fo = p * K + tile.f0;
  const ao = p * windows + tile.w0;
  const nf = tile.filters;
  const nw = tile.windowsInTile;
  const empty = skipEmptyChunks ? 0 : 1;
  let grid0 = 0;
  let grid1 = 0;
  let pairs0 = 0;
  let pairs1 = 0;
  const byWindows = mapping === 'windowsPerPE';
  // windowsPerPE: a = row r (one filter word shared by its buffers), i = column c; filtersPerPE: a = column c
  // (one window word), i = row r. `items` holds the per-buffer words, `count` how many of them exist.
  const outer = byWindows ? nf : nw;
  const inner = byWindows ? Math.min(Cg, cdiv(nw, B)) : Math.min(R, cdiv(nf, B));
  const items = byWindows ? aw : fw;
  const itemBase = byWindows ? ao : fo;
  const count = byWindows ? nw : nf;
  for (let a = 0; a < outer; a++) {
    const shared = byWindows ? fw[fo + a] : aw[ao + a];
    for (let i = 0; i < inner; i++) {
      const bEnd = Math.min(B, count - i * B);
      const base = itemBase + i * B;
      const eBase = (byWindows ? a * Cg + i : i * Cg + a) * B;
      let S0 = 0;
      let S1 = 0;
      let M0 = 0;
      let M1 = 0;
      if (split) {
        for (let b = 0; b < bEnd; b++) {
          const x = shared & items[base + b];
          const v0 = POP16[x & 0xffff];
          const v1 = POP16[x >>> 16];
          S0 += v0;
          S1 += v1;
          if (v0 > M0) M0 = v0;
          if (v1 > M1) M1 = v1;
          if (e0) e0[eBase + b] = v0;
          if (e1) e1[eBase + b] = v1;
        }
      } else {
        for (let b = 0; b < bEnd; b++) {
          const x = shared & items[base + b];
          const v0 = POP16[x & 0xffff] + POP16[x >>> 16];
          S0 += v0;
          if (v0 > M0) M0 = v0;
          if (e0) e0[eBase + b] = v0;
        }
      }
      const c0 = S0 === 0 ? empty : Math.max(Math.floor((S0 + U - 1) / U), M0);
      const c1 = S1 === 0 ? empty : Math.max(Math.floor((S1 + U - 1) / U), M1);
      if (c0 > grid0) grid0 = c0;
      if (c1 > grid1) grid1 = c1;
      pairs0 += S0;
      pairs1 += S1;
    }
  }
  out[0] = grid0;
  out[1] = second ? grid1 : 0;
  out[2] = pairs0;
  out[3] = second ? pairs1 : 0;
}

/** Chunks longer than 32 pairs (several words per chunk): the same rule through the buffer → output map. */
function genericChunkCost(
  layer: DlacLayer,
  tile: DlacTile,
  q: number,
  out: Int32Array,
  e?: Int32Array,
): number {
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
    out[2] += S;
    grid = Math.max(grid, peCost(S, Mx, U, skipEmptyChunks));
  }
  return grid;
}

const single = new Int32Array(4);

/** Grid cost of chunk q alone (and its e_b when `e` is given): slotCosts restricted to one chunk. */
export function chunkCost(layer: DlacLayer, tile: DlacTile, q: number, e?: Int32Array): number {
  const p = Math.floor(q / layer.perSlot);
  const second = q % layer.perSlot === 1;
  slotCosts(layer, tile, p, single, second ? undefined : e, second ? e : undefined);
  return single[second ? 1 : 0];
}

/** Dense (no skipping) grid cost of a chunk of length Lq: max over active PEs of max(cdiv(nAct·Lq, U), Lq). */
export function chunkDenseCost(layer: DlacLayer, tile: Pick<DlacTile, 'maxActive'>, Lq: number): number {
  return tile.maxActive === 0 ? 0 : Math.max(cdiv(tile.maxActive * Lq, layer.cfg.U), Lq);
}

export function chunkLength(layer: DlacLayer, q: number): number {
  return Math.min(layer.cfg.L, layer.D - q * layer.cfg.L);
}
