/**
 * Layer totals of DLAC (accelerators.md §13.2): Σ over tiles and chunks of the grid cost, the dense cost,
 * the effectual pairs and the empty chunks.
 *
 * When a chunk fits one 32-bit word, a PE row is the pair (shared word, the B item words of each column):
 * windowsPerPE shares a filter word across B window words, filtersPerPE a window word across B filter
 * words. Within one block of items and one storage slot, the costs of a row therefore depend only on its
 * shared word, and rows with the same word (a dense filter is all ones, so every row of every filter block
 * repeats it) are evaluated once and reused.
 */
import { cdiv } from '../types';
import { chunkDenseCost, chunkLength, dlacTile, POP16, slotCosts, type DlacLayer } from './dlacCore';

export interface DlacCounts {
  cycles: number;
  denseCycles: number;
  /** Chunks (over all tiles) in which no PE had an effectual pair. */
  emptyChunks: number;
  /** Σ e_b over all buffers and chunks: the effectual MACs. */
  pairs: number;
}

/** Distinct shared words remembered per (item block, slot); past that, rows are evaluated directly. */
const CACHE_SIZE = 16;

export function dlacCounts(layer: DlacLayer): DlacCounts {
  return layer.words === 1 ? singleWordCounts(layer) : tileByTileCounts(layer);
}

/** Straight evaluation through `slotCosts`, tile by tile (chunks longer than 32 pairs). */
function tileByTileCounts(layer: DlacLayer): DlacCounts {
  let cycles = 0;
  let denseCycles = 0;
  let emptyChunks = 0;
  let pairs = 0;
  const out = new Int32Array(4);
  for (let fb = 0; fb < layer.filterBlocks; fb++)
    for (let wb = 0; wb < layer.windowBlocks; wb++) {
      const tile = dlacTile(layer, fb, wb);
      for (let p = 0; p < layer.slots; p++) {
        slotCosts(layer, tile, p, out);
        for (let k = 0; k < layer.perSlot; k++) {
          const q = p * layer.perSlot + k;
          if (q >= layer.chunks) break;
          cycles += out[k];
          pairs += out[2 + k];
          if (out[2 + k] === 0) emptyChunks++;
          denseCycles += chunkDenseCost(layer, tile, chunkLength(layer, q));
        }
      }
    }
  return { cycles, denseCycles, emptyChunks, pairs };
}

/**
 * The same totals as `tileByTileCounts` for single-word chunks, item block by item block and slot by slot,
 * with the row costs of each distinct shared word computed once (the rule of `slotCosts`).
 */
function singleWordCounts(layer: DlacLayer): DlacCounts {
  const { R, Cg, B, U, skipEmptyChunks, mapping } = layer.cfg;
  const byWindows = mapping === 'windowsPerPE';
  const items = byWindows ? layer.aw : layer.fw;
  const shared = byWindows ? layer.fw : layer.aw;
  const itemTotal = byWindows ? layer.windows : layer.K;
  const sharedTotal = byWindows ? layer.K : layer.windows;
  const itemsPerBlock = byWindows ? Cg * B : R * B;
  const sharedPerBlock = byWindows ? R : Cg;
  const innerMax = byWindows ? Cg : R;
  const itemBlocks = byWindows ? layer.windowBlocks : layer.filterBlocks;
  const sharedBlocks = byWindows ? layer.filterBlocks : layer.windowBlocks;
  const split = layer.perSlot === 2;
  const empty = skipEmptyChunks ? 0 : 1;
  const keys = new Int32Array(CACHE_SIZE);
  // Per cached word: grid cost and effectual pairs of the slot's first and second chunk.
  const costs = new Int32Array(4 * CACHE_SIZE);
  const row = new Int32Array(4);
  let cycles = 0;
  let denseCycles = 0;
  let emptyChunks = 0;
  let pairs = 0;
  for (let ib = 0; ib < itemBlocks; ib++) {
    const i0 = ib * itemsPerBlock;
    const count = Math.min(itemsPerBlock, itemTotal - i0);
    const inner = Math.min(innerMax, cdiv(count, B));
    // Every tile of this item block has the same most-loaded PE: min(B, count) active buffers.
    const tileDense = denseTileCycles(layer, Math.min(B, count));
    denseCycles += tileDense * sharedBlocks;
    for (let p = 0; p < layer.slots; p++) {
      const second = split && 2 * p + 1 < layer.chunks;
      const itemBase = p * itemTotal + i0;
      const sharedBase = p * sharedTotal;
      let cached = 0;
      for (let sb = 0; sb < sharedBlocks; sb++) {
        const s0 = sb * sharedPerBlock;
        const outer = Math.min(sharedPerBlock, sharedTotal - s0);
        let grid0 = 0;
        let grid1 = 0;
        let pairs0 = 0;
        let pairs1 = 0;
        for (let a = 0; a < outer; a++) {
          const word = shared[sharedBase + s0 + a];
          let hit = -1;
          for (let k = 0; k < cached; k++)
            if (keys[k] === word) {
              hit = k;
              break;
            }
          let at = 0;
          let from: Int32Array = row;
          if (hit >= 0) {
            from = costs;
            at = 4 * hit;
          } else {
            rowCosts(word, items, itemBase, count, inner, B, U, empty, split, row);
            if (cached < CACHE_SIZE) {
              keys[cached] = word;
              costs.set(row, 4 * cached);
              cached++;
            }
          }
          if (from[at] > grid0) grid0 = from[at];
          if (from[at + 1] > grid1) grid1 = from[at + 1];
          pairs0 += from[at + 2];
          pairs1 += from[at + 3];
        }
        cycles += grid0;
        pairs += pairs0;
        if (pairs0 === 0) emptyChunks++;
        if (second) {
          cycles += grid1;
          pairs += pairs1;
          if (pairs1 === 0) emptyChunks++;
        }
      }
    }
  }
  return { cycles, denseCycles, emptyChunks, pairs };
}

/** Σ over the chunks of the dense grid cost of a tile whose fullest PE has `maxActive` buffers. */
function denseTileCycles(layer: DlacLayer, maxActive: number): number {
  let sum = 0;
  for (let q = 0; q < layer.chunks; q++) sum += chunkDenseCost(layer, { maxActive }, chunkLength(layer, q));
  return sum;
}

/**
 * One PE row of a slot: the shared word against `inner` groups of B item words (the last group cut at
 * `count` items). out = [grid cost of chunk 1, of chunk 2, pairs of chunk 1, of chunk 2]; without `split`
 * the word is one chunk and the second entries are 0.
 */
function rowCosts(
  word: number,
  items: Int32Array,
  itemBase: number,
  count: number,
  inner: number,
  B: number,
  U: number,
  empty: number,
  split: boolean,
  out: Int32Array,
): void {
  let grid0 = 0;
  let grid1 = 0;
  let pairs0 = 0;
  let pairs1 = 0;
  for (let i = 0; i < inner; i++) {
    const bEnd = Math.min(B, count - i * B);
    const base = itemBase + i * B;
    let S0 = 0;
    let S1 = 0;
    let M0 = 0;
    let M1 = 0;
    if (split) {
      for (let b = 0; b < bEnd; b++) {
        const x = word & items[base + b];
        const v0 = POP16[x & 0xffff];
        const v1 = POP16[x >>> 16];
        S0 += v0;
        S1 += v1;
        if (v0 > M0) M0 = v0;
        if (v1 > M1) M1 = v1;
      }
    } else {
      for (let b = 0; b < bEnd; b++) {
        const x = word & items[base + b];
        const v0 = POP16[x & 0xffff] + POP16[x >>> 16];
        S0 += v0;
        if (v0 > M0) M0 = v0;
      }
    }
    const c0 = S0 === 0 ? empty : Math.max(Math.floor((S0 + U - 1) / U), M0);
    const c1 = S1 === 0 ? empty : Math.max(Math.floor((S1 + U - 1) / U), M1);
    if (c0 > grid0) grid0 = c0;
    if (c1 > grid1) grid1 = c1;
    pairs0 += S0;
    pairs1 += S1;
  }
  out[0] = grid0;
  out[1] = grid1;
  out[2] = pairs0;
  out[3] = pairs1;
}
