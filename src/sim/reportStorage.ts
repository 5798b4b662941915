import type { SimConfig } from './config';
import type { LayerKind } from './types';
import { ACCELERATORS, paramsFor, withDefaults } from './accel';
import {
  EIE_FORMAT,
  sumFootprints,
  weightFootprint,
  type FootprintTotals,
  type WeightFootprint,
  type WeightFormat,
} from './energy';
import { relativeIndexBitsFor } from './quant/storage';

/**
 * Weight storage of every layer in the formats that apply to the configuration (accelerators.md §15),
 * counted from the layer's integer codes by src/sim/energy/footprint.ts. Which formats apply follows from
 * what a LayerReport already says (scheme, quantiser metadata) and the configuration, so that the app can
 * rebuild the format parameters for its formulas without the codes.
 */

/**
 * Format ids: the weight scheme's own storage (`fixed`, `uniform`, `tensorflow8b`, `twn`, `ttq`,
 * `ttqFixedSparsity`, `binary`, `cgs`, and for weight sharing `shared` / `deepCompression`, for pruned fixed
 * point `fixedSparse`), plus the reference `fp32`, the `pruned` step (sparse FP32) and EIE's `eieCsc`.
 */
export type StorageFormatId =
  | 'fp32'
  | 'fixed'
  | 'uniform'
  | 'tensorflow8b'
  | 'twn'
  | 'ttq'
  | 'ttqFixedSparsity'
  | 'binary'
  | 'cgs'
  | 'pruned'
  | 'fixedSparse'
  | 'shared'
  | 'deepCompression'
  | 'eieCsc';

/** Display order: the reference first, then the compression steps dense → pruned → shared → CSC. */
export const STORAGE_FORMAT_IDS: readonly StorageFormatId[] = [
  'fp32',
  'fixed',
  'uniform',
  'tensorflow8b',
  'twn',
  'ttq',
  'ttqFixedSparsity',
  'binary',
  'cgs',
  'pruned',
  'fixedSparse',
  'shared',
  'deepCompression',
  'eieCsc',
];

export const STORAGE_FORMAT_LABELS: Readonly<Record<StorageFormatId, string>> = {
  fp32: 'dense FP32',
  fixed: 'dense fixed point',
  uniform: 'uniform k-bit',
  tensorflow8b: 'TensorFlow 8-bit',
  twn: 'ternary (TWN)',
  ttq: 'ternary (TTQ, Wp/Wn)',
  ttqFixedSparsity: 'ternary, no scales',
  binary: 'binary (BWN)',
  cgs: 'CGS block-sparse',
  pruned: 'pruned (sparse FP32)',
  fixedSparse: 'pruned fixed point (sparse)',
  shared: 'weight sharing (indices + codebook)',
  deepCompression: 'Deep Compression (pruned + shared)',
  eieCsc: 'EIE CSC',
};

export interface LayerStorage {
  /** Weights of the layer, K·C·Kh·Kw. */
  n: number;
  /** Non-zero weight codes. */
  nnz: number;
  /** The format the configured quantisation stores this layer in (a key of `formats`). */
  format: StorageFormatId;
  formats: Partial<Record<StorageFormatId, WeightFootprint>>;
}

export interface StorageTotals {
  /** Σ over layers of each layer's own (configured) format. */
  configured: FootprintTotals;
  /** Per format: Σ over the layers that have it, and how many layers that is. */
  formats: Partial<Record<StorageFormatId, FootprintTotals & { layers: number }>>;
}

/** What decides a layer's formats; every field is in its LayerReport. */
export interface StorageLayerInfo {
  kind: LayerKind;
  pw: number;
  /** QuantizedTensor.scheme, or 'synthetic' / anything else for layers without a quantiser record (traces). */
  weightScheme: string;
  quantMeta: Record<string, number | string>;
}

export interface FormatChoice {
  id: StorageFormatId;
  format: WeightFormat;
}

/** The formats of one layer: `own` is how the configuration stores it, `all` includes it once. */
export function storageFormats(
  layer: StorageLayerInfo,
  config: SimConfig,
): { own: StorageFormatId; all: FormatChoice[] } {
  const fp32: FormatChoice = { id: 'fp32', format: { kind: 'dense', bits: 32 } };
  const own = ownFormat(layer, config) ?? fp32;
  const all: FormatChoice[] = [fp32];
  const pruned = typeof layer.quantMeta.pruneMode === 'string';
  if (pruned)
    all.push({
      id: 'pruned',
      format: {
        kind: 'deepCompression',
        indexBits: 32,
        relBits: relativeIndexBitsFor(layer.kind),
        codebookValueBits: 0,
      },
    });
  if (own.id !== 'fp32') all.push(own);
  const q = config.quant;
  if (q.prune.enabled || q.share.enabled || config.accels.includes('eie'))
    all.push({ id: 'eieCsc', format: eieFormat(config) });
  return { own: own.id, all };
}

/** EIE's CSC with the configured EIE parameters (PEs, relative index and codebook index widths). */
export function eieFormat(config: SimConfig): Extract<WeightFormat, { kind: 'eieCsc' }> {
  const p = withDefaults(ACCELERATORS.eie, paramsFor('eie', config.params));
  return {
    ...EIE_FORMAT,
    pes: Number(p.pes),
    relBits: Number(p.relBits),
    weightIndexBits: Number(p.weightIndexBits),
  };
}

function ownFormat(layer: StorageLayerInfo, config: SimConfig): FormatChoice | null {
  const meta = layer.quantMeta;
  const w = config.quant.weights;
  // Layers kept at full precision by the policy of quantization.md §14 are stored as dense FP32.
  if (typeof meta.policy === 'string') return null;
  const pruned = typeof meta.pruneMode === 'string';
  const relBits = relativeIndexBitsFor(layer.kind);
  switch (layer.weightScheme) {
    case 'fixed':
      return pruned
        ? {
            id: 'fixedSparse',
            format: { kind: 'deepCompression', indexBits: w.bits, relBits, codebookValueBits: 0 },
          }
        : { id: 'fixed', format: { kind: 'dense', bits: w.bits } };
    case 'uniform':
      return {
        id: 'uniform',
        format: { kind: 'uniform', bits: w.bits, granularity: w.granularity, zeroPoints: !w.symmetric },
      };
    case 'tensorflow8b':
      return {
        id: 'tensorflow8b',
        format: { kind: 'uniform', bits: 8, granularity: 'layer', zeroPoints: false },
      };
    case 'twn':
      return { id: 'twn', format: { kind: 'twn', granularity: w.granularity } };
    case 'ttq':
      return { id: 'ttq', format: { kind: 'ttq' } };
    case 'ttqFixedSparsity':
      return { id: 'ttqFixedSparsity', format: { kind: 'dense', bits: 2 } };
    case 'binary':
      return { id: 'binary', format: { kind: 'binary', granularity: w.granularity } };
    case 'cgs':
      return {
        id: 'cgs',
        format: {
          kind: 'cgs',
          br: w.cgs.br,
          bc: w.cgs.bc,
          bits: w.cgs.bits,
          maskFromSeed: false,
          keptBlocks: Number(meta.blockRows) * Number(meta.keepPerRow),
        },
      };
    case 'kmeans': {
      const bits = Number(meta.shareBits);
      return pruned
        ? {
            id: 'deepCompression',
            format: {
              kind: 'deepCompression',
              indexBits: bits,
              relBits,
              codebookValueBits: 32,
              entropy: true,
            },
          }
        : { id: 'shared', format: { kind: 'shared', indexBits: bits, valueBits: 32 } };
    }
    default:
      // Trace folders and other inputs without a quantiser record: the codes as they are, Pw bits each.
      return { id: 'fixed', format: { kind: 'dense', bits: layer.pw } };
  }
}

/** The layer's footprint in every applicable format, from its codes (PyTorch weight shape [K, C, Kh, Kw]). */
export function layerStorage(
  layer: StorageLayerInfo,
  codes: ArrayLike<number>,
  shape: readonly number[],
  config: SimConfig,
  codebookIndex?: ArrayLike<number>,
): LayerStorage {
  const { own, all } = storageFormats(layer, config);
  const formats: LayerStorage['formats'] = {};
  for (const { id, format } of all) {
    const f =
      format.kind === 'deepCompression' && format.entropy && codebookIndex
        ? { ...format, codebookIndex }
        : format;
    formats[id] = weightFootprint(codes, shape, f);
  }
  const fp32 = formats.fp32!;
  return { n: fp32.n, nnz: fp32.nnz, format: own, formats };
}

/** Network totals of the storage: each layer's own format, and each format over the layers that have it. */
export function storageTotals(layers: readonly LayerStorage[]): StorageTotals {
  const formats: StorageTotals['formats'] = {};
  for (const id of STORAGE_FORMAT_IDS) {
    const having = layers.flatMap((l) => (l.formats[id] ? [l.formats[id]] : []));
    if (having.length > 0) formats[id] = { ...sumFootprints(having), layers: having.length };
  }
  return { configured: sumFootprints(layers.map((l) => l.formats[l.format]!)), formats };
}
