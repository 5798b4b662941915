/**
 * Weight storage in bits, accelerators.md §15 (scales are FP32). n = weights of the layer, K = filters.
 * Formats §15 does not cover are documented where they are defined.
 */

const SCALE_BITS = 32;

export function denseBits(n: number, bitsPerWeight: number): number {
  return n * bitsPerWeight;
}

/** Uniform k-bit: one FP32 scale per tensor or per filter, plus as many FP32 zero points when asymmetric. */
export function uniformBits(n: number, k: number, nScales: number, asymmetric: boolean): number {
  return k * n + SCALE_BITS * nScales * (asymmetric ? 2 : 1);
}

/** TWN: 2-bit codes and one α per layer (or per filter). */
export function twnBits(n: number, nScales: number): number {
  return 2 * n + SCALE_BITS * nScales;
}

/** TTQ: 2-bit codes plus Wp and Wn. */
export function ttqBits(n: number): number {
  return 2 * n + 2 * SCALE_BITS;
}

/** BWN: 1-bit codes and one α per layer (or per filter). */
export function binaryBits(n: number, nScales: number): number {
  return n + SCALE_BITS * nScales;
}

/** CGS: kept blocks of b-bit codes, a block-column index per kept block, one FP32 scale. */
export function cgsBits(keptBlocks: number, br: number, bc: number, b: number, blockCols: number): number {
  return keptBlocks * br * bc * b + keptBlocks * Math.ceil(Math.log2(blockCols)) + SCALE_BITS;
}

/**
 * Filler entries of Deep Compression's relative-index format: a run of z zeros before a non-zero needs
 * floor(z / 2^rBits) fillers (the same count as §15's expectation formula); trailing zeros need none.
 */
export function relativeIndexPadding(x: ArrayLike<number>, rBits: number): number {
  const span = 2 ** rBits;
  let pad = 0;
  let run = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === 0) {
      run++;
    } else {
      pad += Math.floor(run / span);
      run = 0;
    }
  }
  return pad;
}

/** Deep Compression relative-index sparse format: (nnz + pad)(b + rBits) + codebook of 2^b FP32 entries. */
export function relativeIndexBits(
  x: ArrayLike<number>,
  valueBits: number,
  rBits: number,
  codebookEntries: number,
): number {
  let nnz = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) nnz++;
  const pad = relativeIndexPadding(x, rBits);
  return (nnz + pad) * (valueBits + rBits) + codebookEntries * SCALE_BITS;
}

/** Relative-index width of Deep Compression: 8 bits for conv, 5 for FC [from-memory-unverified]. */
export function relativeIndexBitsFor(kind: 'conv' | 'fc'): number {
  return kind === 'conv' ? 8 : 5;
}
