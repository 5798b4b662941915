import { mulberry32 } from '../prng';
import { cdiv } from '../types';
import { clamp, rha } from './rounding';
import { cgsBits } from './storage';
import { checkShape, elementCount, filterCount } from './tensor';
import type { QuantizedTensor } from './types';

export interface CgsOptions {
  br: number;
  bc: number;
  /** Requested compression; the realised one is blockCols / keepPerRow. */
  compression: number;
  bits: number;
  seed: number;
}

export interface CgsMask {
  blockRows: number;
  blockCols: number;
  keepPerRow: number;
  /** Sorted kept block-column indices of every block row. */
  keptBlockColumns: number[][];
  realisedCompression: number;
}

/**
 * Random balanced block mask of quantization.md §11: the weights as a K × D matrix (D = C·Kh·Kw in PyTorch
 * flatten order) cut into Br × Bc blocks; every block row keeps the same number of block columns, chosen by
 * a partial Fisher–Yates shuffle with mulberry32 so that JS and Python draw the same mask from the seed.
 */
export function cgsMask(
  K: number,
  D: number,
  opts: Pick<CgsOptions, 'br' | 'bc' | 'compression' | 'seed'>,
): CgsMask {
  if (!(opts.compression > 0)) throw new Error(`CGS compression must be > 0, got ${opts.compression}`);
  const blockRows = cdiv(K, opts.br);
  const blockCols = cdiv(D, opts.bc);
  const keep = clamp(Math.floor(blockCols / opts.compression + 0.5), 1, blockCols);
  const rng = mulberry32(opts.seed);
  const keptBlockColumns: number[][] = [];
  for (let r = 0; r < blockRows; r++) {
    const idx = Array.from({ length: blockCols }, (_, i) => i);
    for (let i = 0; i < keep; i++) {
      const j = i + Math.floor(rng() * (blockCols - i));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    keptBlockColumns.push(idx.slice(0, keep).sort((a, b) => a - b));
  }
  return { blockRows, blockCols, keepPerRow: keep, keptBlockColumns, realisedCompression: blockCols / keep };
}

/** Flat-index keep mask (K × D row-major, i.e. the PyTorch weight order) of a block mask. */
export function cgsElementMask(mask: CgsMask, K: number, D: number, br: number, bc: number): Uint8Array {
  const out = new Uint8Array(K * D);
  for (let k = 0; k < K; k++) {
    for (const col of mask.keptBlockColumns[Math.floor(k / br)]) {
      const end = Math.min(D, (col + 1) * bc);
      for (let d = col * bc; d < end; d++) out[k * D + d] = 1;
    }
  }
  return out;
}

/** CGS: block mask, then uniform symmetric b-bit over the kept weights with one scale per layer (§11, §1). */
export function quantizeCgs(w: ArrayLike<number>, shape: number[], opts: CgsOptions): QuantizedTensor {
  checkShape(w, shape);
  const { br, bc, bits } = opts;
  if (!Number.isInteger(bits) || bits < 2) throw new Error(`CGS needs b >= 2 bits, got ${bits}`);
  const K = filterCount(shape);
  const D = K === 0 ? 0 : elementCount(shape) / K;
  const mask = cgsMask(K, D, opts);
  const keep = cgsElementMask(mask, K, D, br, bc);
  const qmax = 2 ** (bits - 1) - 1;
  let m = 0;
  for (let i = 0; i < w.length; i++) if (keep[i]) m = Math.max(m, Math.abs(w[i]));
  const s = m > 0 ? m / qmax : 1;
  const codes = new Int32Array(w.length);
  const values = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) {
    if (!keep[i]) continue;
    const code = clamp(rha(w[i] / s), -qmax, qmax);
    codes[i] = code;
    values[i] = s * code;
  }
  const keptBlocks = mask.blockRows * mask.keepPerRow;
  return {
    scheme: 'cgs',
    shape: [...shape],
    codes,
    values,
    precision: bits,
    storageBits: cgsBits(keptBlocks, br, bc, bits, mask.blockCols),
    meta: {
      scale: s,
      seed: opts.seed,
      blockRows: mask.blockRows,
      blockCols: mask.blockCols,
      keepPerRow: mask.keepPerRow,
      requestedCompression: opts.compression,
      realisedCompression: mask.realisedCompression,
    },
  };
}
