/**
 * Bit-packing of DLAC's non-zero masks (accelerators.md §13): reduction index d = (i·Kw + j)·C + c of
 * window n / filter f, chunked by L, goes to word `chunkWord(q) + (o + shift) >>> 5`, bit (o + shift) & 31
 * of its [slot][word][item] array (see dlacCore's layout).
 */
import { padActivations } from './grid';
import { nonZeroMask } from './sparseParams';
import type { AccelLayerInput } from './types';

export interface PackLayout {
  /** Chunks per storage slot: 2 when L ≤ 16 (two chunks per 32-bit word), else 1. */
  perSlot: number;
  /** 32-bit words per slot. */
  words: number;
}

/** First word (before ·items + item) of chunk q. */
function chunkWord(layout: PackLayout, q: number): number {
  return layout.perSlot === 2 ? q >> 1 : q * layout.words;
}

/** Bit of offset 0 of chunk q inside its first word. */
function chunkShift(layout: PackLayout, q: number): number {
  return layout.perSlot === 2 ? (q & 1) << 4 : 0;
}

/** Chunks never straddle a kernel position when L divides C (and fits a word): chunk q = (tap, channel block). */
function isBlocked(C: number, L: number): boolean {
  return C % L === 0 && L <= 32;
}

/** Window masks into aw, windows in §1.5 order (n = ow·Oh + oh). */
export function packActivations(
  input: AccelLayerInput,
  L: number,
  layout: PackLayout,
  Oh: number,
  Ow: number,
  aw: Int32Array,
): void {
  if (isBlocked(input.geometry.C, L)) packBlockedActivations(input, L, layout, Oh, Ow, aw);
  else packGeneralActivations(input, L, layout, Oh, Ow, aw);
}

/** Filter masks into fw. */
export function packWeights(input: AccelLayerInput, L: number, layout: PackLayout, fw: Int32Array): void {
  if (isBlocked(input.geometry.C, L)) packBlockedWeights(input, L, layout, fw);
  else packGeneralWeights(input, L, layout, fw);
}

function packBlockedActivations(
  input: AccelLayerInput,
  L: number,
  layout: PackLayout,
  Oh: number,
  Ow: number,
  aw: Int32Array,
): void {
  const { C, H, W, Kh, Kw, pad, stride: s } = input.geometry;
  const Nh = H + 2 * pad;
  const Nw = W + 2 * pad;
  const blocks = C / L;
  const windows = Oh * Ow;
  const act = input.act;
  // One word per padded pixel and channel block (padding stays 0), straight from the unpadded input.
  const pixel = new Int32Array(Nh * Nw * blocks);
  for (let c = 0; c < C; c++) {
    const bit = 1 << (c % L);
    const cb = Math.floor(c / L);
    for (let h = 0; h < H; h++) {
      const src = (c * H + h) * W;
      const dst = ((h + pad) * Nw + pad) * blocks + cb;
      for (let w = 0; w < W; w++) if (act[src + w] !== 0) pixel[dst + w * blocks] |= bit;
    }
  }
  for (let t = 0; t < Kh * Kw; t++) {
    const i = Math.floor(t / Kw);
    const j = t % Kw;
    for (let cb = 0; cb < blocks; cb++) {
      const q = t * blocks + cb;
      const shift = chunkShift(layout, q);
      const row = chunkWord(layout, q) * windows;
      for (let ow = 0; ow < Ow; ow++) {
        const n0 = row + ow * Oh;
        const p0 = (i * Nw + s * ow + j) * blocks + cb;
        for (let oh = 0; oh < Oh; oh++) aw[n0 + oh] |= pixel[p0 + s * oh * Nw * blocks] << shift;
      }
    }
  }
}

function packBlockedWeights(input: AccelLayerInput, L: number, layout: PackLayout, fw: Int32Array): void {
  const { C, K, Kh, Kw } = input.geometry;
  const taps = Kh * Kw;
  const blocks = C / L;
  const wgt = input.wgt;
  // Word of every (tap, channel block) of one filter, built in `acc` from one sequential pass over it.
  const acc = new Int32Array(taps * blocks);
  const rowOf = new Int32Array(taps * blocks);
  const shiftOf = new Int32Array(taps * blocks);
  for (let q = 0; q < taps * blocks; q++) {
    rowOf[q] = chunkWord(layout, q) * K;
    shiftOf[q] = chunkShift(layout, q);
  }
  for (let f = 0; f < K; f++) {
    acc.fill(0);
    let x = f * C * taps;
    for (let c = 0; c < C; c++) {
      const bit = 1 << (c % L);
      const cb = Math.floor(c / L);
      for (let t = 0; t < taps; t++, x++) if (wgt[x] !== 0) acc[t * blocks + cb] |= bit;
    }
    for (let q = 0; q < acc.length; q++) fw[rowOf[q] + f] |= acc[q] << shiftOf[q];
  }
}

/** General chunking: walk each reduction vector in d order, chunk by chunk. */
function packGeneralActivations(
  input: AccelLayerInput,
  L: number,
  layout: PackLayout,
  Oh: number,
  Ow: number,
  aw: Int32Array,
): void {
  const { C, H, W, Kh, Kw, pad, stride: s } = input.geometry;
  const Nh = H + 2 * pad;
  const Nw = W + 2 * pad;
  const windows = Oh * Ow;
  const mask = nonZeroMask(padActivations(input.act, C, H, W, pad));
  for (let n = 0; n < windows; n++) {
    const oh = n % Oh;
    const ow = Math.floor(n / Oh);
    let q = 0;
    let o = 0;
    let word = 0;
    let shift = 0;
    for (let i = 0; i < Kh; i++)
      for (let j = 0; j < Kw; j++)
        for (let c = 0; c < C; c++) {
          if (mask[(c * Nh + s * oh + i) * Nw + s * ow + j])
            aw[(word + ((o + shift) >>> 5)) * windows + n] |= 1 << ((o + shift) & 31);
          if (++o === L) {
            o = 0;
            q++;
            word = chunkWord(layout, q);
            shift = chunkShift(layout, q);
          }
        }
  }
}

function packGeneralWeights(input: AccelLayerInput, L: number, layout: PackLayout, fw: Int32Array): void {
  const { C, K, Kh, Kw } = input.geometry;
  const taps = Kh * Kw;
  const wgt = input.wgt;
  for (let f = 0; f < K; f++) {
    let q = 0;
    let o = 0;
    let word = 0;
    let shift = 0;
    for (let t = 0; t < taps; t++)
      for (let c = 0; c < C; c++) {
        if (wgt[(f * C + c) * taps + t] !== 0)
          fw[(word + ((o + shift) >>> 5)) * K + f] |= 1 << ((o + shift) & 31);
        if (++o === L) {
          o = 0;
          q++;
          word = chunkWord(layout, q);
          shift = chunkShift(layout, q);
        }
      }
  }
}
