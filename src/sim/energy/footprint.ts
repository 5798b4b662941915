import type { LayerGeometry, LayerKind } from '../types';
import { buildEieCsc } from '../accel/eieFormat';
import { countRelativeIndexEntries, type SparseEntryCount } from './csc';

/**
 * Weight storage per layer, accelerators.md §15, counted from the actual codes. Scales and zero points are
 * FP32. Value-agnostic formats (dense, uniform, ternary, binary, shared) only look at the shape; the sparse
 * formats count non-zeros and padding entries from the codes (a zero code is a pruned weight).
 */

export const SCALE_BITS = 32;

export type Granularity = 'layer' | 'filter';

export type WeightFormat =
  | { kind: 'dense'; bits: number }
  | { kind: 'uniform'; bits: number; granularity: Granularity; zeroPoints: boolean }
  | { kind: 'twn'; granularity: Granularity }
  | { kind: 'ttq' }
  | { kind: 'binary'; granularity: Granularity }
  /** k-means weight sharing without pruning (quantization.md §10): an index per weight plus the codebook. */
  | { kind: 'shared'; indexBits: number; valueBits: number }
  | {
      kind: 'eieCsc';
      pes: number;
      relBits: number;
      weightIndexBits: number;
      pointerBits: number;
      codebookValueBits: number;
    }
  | {
      kind: 'deepCompression';
      /** Codebook index width b. */
      indexBits: number;
      relBits: number;
      codebookValueBits: number;
      /** Also estimate the size after ideal entropy coding (stands in for Huffman, which is not modelled). */
      entropy?: boolean;
      /** Codebook index per weight (QuantizedTensor.codebookIndex); the codes serve as symbols without it. */
      codebookIndex?: ArrayLike<number>;
    }
  | {
      kind: 'cgs';
      br: number;
      bc: number;
      bits: number;
      /** The mask is regenerated from a 32-bit seed instead of storing block indices. */
      maskFromSeed: boolean;
      /** Kept blocks from the mask; counted as blocks holding a non-zero code when absent. */
      keptBlocks?: number;
    };

export type WeightFormatKind = WeightFormat['kind'];

export interface FootprintBreakdown {
  /** Weight value or code fields of the stored (real) weights. */
  payload: number;
  /** Relative-index fields of real entries, block-column indices, or the mask seed that replaces them. */
  indices: number;
  /** Whole padding entries (value and index fields). */
  padding: number;
  /** Column pointers. */
  pointers: number;
  /** Shared-value tables. */
  codebook: number;
  /** FP32 scales and zero points. */
  scales: number;
}

export interface EntropyEstimate {
  bits: number;
  bitsPerWeight: number;
  compression: number;
}

export interface WeightFootprint {
  format: WeightFormatKind;
  /** Weights of the layer (K·C·Kh·Kw). */
  n: number;
  /** Non-zero codes. */
  nnz: number;
  bits: number;
  bitsPerWeight: number;
  /** FP32 bits / these bits. */
  compression: number;
  breakdown: FootprintBreakdown;
  /** Sparse formats: stored real and padding entries. */
  entries?: SparseEntryCount;
  /** Deep Compression with `entropy`: Σ −log2 p over the value and index streams, plus the codebook. */
  entropy?: EntropyEstimate;
}

/** PyTorch weight shape of a layer: [K, C, Kh, Kw] (FC: [K, C, 1, 1], same flat order as [K, C]). */
export function weightShape(g: LayerGeometry): number[] {
  return [g.K, g.C, g.Kh, g.Kw];
}

/** EIE format defaults (§12): 64 PEs, 4-bit relative and codebook indices, 16-bit pointers and codebook values. */
export const EIE_FORMAT: Extract<WeightFormat, { kind: 'eieCsc' }> = {
  kind: 'eieCsc',
  pes: 64,
  relBits: 4,
  weightIndexBits: 4,
  pointerBits: 16,
  codebookValueBits: 16,
};

/** Deep Compression defaults: b = rBits = 8 for conv, 5 for FC, FP32 codebook [from-memory-unverified]. */
export function deepCompressionFormat(
  kind: LayerKind,
  entropy = false,
): Extract<WeightFormat, { kind: 'deepCompression' }> {
  const bits = kind === 'conv' ? 8 : 5;
  return { kind: 'deepCompression', indexBits: bits, relBits: bits, codebookValueBits: SCALE_BITS, entropy };
}

export function weightFootprint(
  codes: ArrayLike<number>,
  shape: readonly number[],
  format: WeightFormat,
): WeightFootprint {
  const n = shape.reduce((a, b) => a * b, 1);
  if (codes.length !== n)
    throw new RangeError(`shape [${shape.join(', ')}] needs ${n} codes, got ${codes.length}`);
  const K = shape[0] ?? 1;
  const D = K > 0 ? n / K : 0;
  const b = emptyBreakdown();
  let entries: SparseEntryCount | undefined;
  let entropyBits: number | undefined;
  switch (format.kind) {
    case 'dense':
      b.payload = format.bits * n;
      break;
    case 'uniform':
      b.payload = format.bits * n;
      b.scales = SCALE_BITS * scaleCount(format.granularity, K) * (format.zeroPoints ? 2 : 1);
      break;
    case 'twn':
      b.payload = 2 * n;
      b.scales = SCALE_BITS * scaleCount(format.granularity, K);
      break;
    case 'ttq':
      b.payload = 2 * n;
      b.scales = 2 * SCALE_BITS; // Wp and Wn
      break;
    case 'binary':
      b.payload = n;
      b.scales = SCALE_BITS * scaleCount(format.granularity, K);
      break;
    case 'shared':
      b.payload = format.indexBits * n;
      b.codebook = 2 ** format.indexBits * format.valueBits;
      break;
    case 'eieCsc': {
      const csc = buildEieCsc(codes, K, D, format.pes, format.relBits);
      entries = { nnz: csc.nnz, padding: csc.padding };
      b.payload = entries.nnz * format.weightIndexBits;
      b.indices = entries.nnz * format.relBits;
      b.padding = entries.padding * (format.weightIndexBits + format.relBits);
      b.pointers = format.pes * (D + 1) * format.pointerBits; // p_j for every column plus the end pointer, per PE
      b.codebook = 2 ** format.weightIndexBits * format.codebookValueBits;
      break;
    }
    case 'deepCompression': {
      entries = countRelativeIndexEntries(codes, format.relBits);
      b.payload = entries.nnz * format.indexBits;
      b.indices = entries.nnz * format.relBits;
      b.padding = entries.padding * (format.indexBits + format.relBits);
      // quantization.md §10: a fully pruned layer has no codebook.
      b.codebook = entries.nnz > 0 ? 2 ** format.indexBits * format.codebookValueBits : 0;
      if (format.entropy)
        entropyBits = relativeIndexEntropy(codes, format.relBits, format.codebookIndex) + b.codebook;
      break;
    }
    case 'cgs': {
      const blockCols = Math.ceil(D / format.bc);
      const kept = format.keptBlocks ?? countNonEmptyBlocks(codes, K, D, format.br, format.bc);
      // Edge blocks are stored full size (fixed block layout), as §15's keptBlocks·Br·Bc·b says.
      b.payload = kept * format.br * format.bc * format.bits;
      b.indices = format.maskFromSeed ? 32 : kept * Math.ceil(Math.log2(Math.max(blockCols, 1)));
      b.scales = SCALE_BITS;
      break;
    }
  }
  const bits = sumBreakdown(b);
  const out: WeightFootprint = {
    format: format.kind,
    n,
    nnz: entries?.nnz ?? countNonZero(codes),
    bits,
    bitsPerWeight: n > 0 ? bits / n : 0,
    compression: bits > 0 ? (SCALE_BITS * n) / bits : 0,
    breakdown: b,
  };
  if (entries) out.entries = entries;
  if (entropyBits !== undefined)
    out.entropy = {
      bits: entropyBits,
      bitsPerWeight: n > 0 ? entropyBits / n : 0,
      compression: entropyBits > 0 ? (SCALE_BITS * n) / entropyBits : 0,
    };
  return out;
}

export interface FootprintTotals {
  n: number;
  nnz: number;
  bits: number;
  bitsPerWeight: number;
  compression: number;
  breakdown: FootprintBreakdown;
  /** Present when every layer has an entropy estimate. */
  entropyBits?: number;
}

/** Network totals: sums of bits and weights; ratios of the sums. */
export function sumFootprints(layers: readonly WeightFootprint[]): FootprintTotals {
  const breakdown = emptyBreakdown();
  let n = 0;
  let nnz = 0;
  let entropyBits: number | undefined = layers.length > 0 ? 0 : undefined;
  for (const l of layers) {
    n += l.n;
    nnz += l.nnz;
    for (const key of BREAKDOWN_KEYS) breakdown[key] += l.breakdown[key];
    entropyBits = l.entropy && entropyBits !== undefined ? entropyBits + l.entropy.bits : undefined;
  }
  const bits = sumBreakdown(breakdown);
  const out: FootprintTotals = {
    n,
    nnz,
    bits,
    bitsPerWeight: n > 0 ? bits / n : 0,
    compression: bits > 0 ? (SCALE_BITS * n) / bits : 0,
    breakdown,
  };
  if (entropyBits !== undefined) out.entropyBits = entropyBits;
  return out;
}

/**
 * Compression of weight sharing alone (Deep Compression): n weights of b bits replaced by log2(k)-bit indices
 * into a table of k b-bit values, n·b / (n·log2(k) + k·b) [from-memory-unverified].
 */
export function weightSharingCompression(n: number, k: number, b: number): number {
  return (n * b) / (n * Math.log2(k) + k * b);
}

export const BREAKDOWN_KEYS: readonly (keyof FootprintBreakdown)[] = [
  'payload',
  'indices',
  'padding',
  'pointers',
  'codebook',
  'scales',
];

function emptyBreakdown(): FootprintBreakdown {
  return { payload: 0, indices: 0, padding: 0, pointers: 0, codebook: 0, scales: 0 };
}

function sumBreakdown(b: FootprintBreakdown): number {
  return BREAKDOWN_KEYS.reduce((s, k) => s + b[k], 0);
}

function scaleCount(granularity: Granularity, K: number): number {
  return granularity === 'filter' ? K : 1;
}

function countNonZero(codes: ArrayLike<number>): number {
  let nnz = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] !== 0) nnz++;
  return nnz;
}

/** Blocks of the K × D matrix (rows = filters, columns in flat order) that hold at least one non-zero code. */
function countNonEmptyBlocks(codes: ArrayLike<number>, K: number, D: number, br: number, bc: number): number {
  const blockCols = Math.ceil(D / bc);
  const seen = new Uint8Array(Math.ceil(K / br) * blockCols);
  let kept = 0;
  for (let k = 0; k < K; k++) {
    const rowBase = Math.floor(k / br) * blockCols;
    for (let d = 0; d < D; d++) {
      if (codes[k * D + d] === 0) continue;
      const block = rowBase + Math.floor(d / bc);
      if (seen[block] === 0) {
        seen[block] = 1;
        kept++;
      }
    }
  }
  return kept;
}

/**
 * Σ −log2 p of the two streams Deep Compression Huffman-codes separately: value symbols (codebook index or
 * code; padding entries are their own filler symbol) and relative-index symbols, each with its empirical
 * distribution over the stored entries.
 */
function relativeIndexEntropy(
  codes: ArrayLike<number>,
  relBits: number,
  symbols?: ArrayLike<number>,
): number {
  const span = 2 ** relBits;
  const values = new Map<number | 'pad', number>();
  const indices = new Map<number, number>();
  const add = <T>(m: Map<T, number>, key: T) => m.set(key, (m.get(key) ?? 0) + 1);
  let run = 0;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] === 0) {
      run++;
      continue;
    }
    for (let p = 0; p < Math.floor(run / span); p++) {
      add(values, 'pad');
      add(indices, span - 1);
    }
    add(values, symbols ? symbols[i] : codes[i]);
    add(indices, run % span);
    run = 0;
  }
  return selfInformation(values) + selfInformation(indices);
}

function selfInformation<T>(counts: Map<T, number>): number {
  let total = 0;
  for (const c of counts.values()) total += c;
  let bits = 0;
  for (const c of counts.values()) bits += c * Math.log2(total / c);
  return bits;
}
