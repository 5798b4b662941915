import type { ActQuantConfig, QuantConfig, WeightQuantConfig } from '../config';
import { quantizeBinary } from './binary';
import { quantizeCgs } from './cgs';
import { profiledCode, quantizeFixedPoint, rangeProfile } from './fixedPoint';
import { kmeansShare } from './kmeans';
import { prunePerLayer, pruneGlobal, pruneStdThreshold } from './prune';
import { denseBits, relativeIndexBits, relativeIndexBitsFor } from './storage';
import { tensorflow8bCodes, quantizeTensorflow8b } from './tensorflow8b';
import { quantizeTtq, quantizeTtqFixedSparsity, type TtqScales } from './ttq';
import { quantizeTwn } from './twn';
import type { QuantizedTensor } from './types';
import { quantizeUniformAsymmetric, quantizeUniformSymmetric } from './uniform';

export interface NetworkLayerWeights {
  name: string;
  kind: 'conv' | 'fc';
  shape: number[];
  weights: Float32Array;
  isFirst: boolean;
  isLast: boolean;
}

export interface NetworkQuantOptions {
  /** Seed of the configuration (CGS masks); layer i uses (seed + i) >>> 0 so equal-shaped layers differ. */
  seed?: number;
  /** Learned TTQ scales from the JSON sidecar, by layer name. */
  ttqScales?: TtqScales;
}

/** "Full precision" in the fixed-point models: 16-bit profiled fixed point (quantization.md §14). */
export const FULL_PRECISION_BITS = 16;

/** Schemes the first conv / last FC are protected from (§14): ternary, binary, k-bit below 8, CGS. */
export function isLowPrecision(w: WeightQuantConfig): boolean {
  switch (w.scheme) {
    case 'twn':
    case 'ttq':
    case 'ttqFixedSparsity':
    case 'binary':
    case 'cgs':
      return true;
    case 'fixed':
    case 'uniform':
      return w.bits < 8;
    case 'tensorflow8b':
      return false;
  }
}

/**
 * Network width Wb for the potentials (accelerators.md §1.8): DNNsim's tensorflow_8b mode is network-wide,
 * so either operand using it makes the network 8 bits wide.
 */
export function networkWidth(cfg: QuantConfig): number {
  return cfg.acts.scheme === 'tensorflow8b' || cfg.weights.scheme === 'tensorflow8b' ? 8 : 16;
}

/** Weight sharing replaces scalar quantisers only; ternary, binary and CGS layers already have ≤ 2^b levels. */
function sharesWeights(cfg: QuantConfig): boolean {
  const s = cfg.weights.scheme;
  return cfg.share.enabled && (s === 'fixed' || s === 'uniform' || s === 'tensorflow8b');
}

/** Binary has no zero code, so pruned weights would come back as +α: pruning is skipped for it. */
function prunes(cfg: QuantConfig, layer: NetworkLayerWeights): boolean {
  return cfg.prune.enabled && !layer.isFirst && cfg.weights.scheme !== 'binary';
}

function pruneLayers(layers: NetworkLayerWeights[], cfg: QuantConfig): Array<Float32Array | null> {
  const eligible = layers.map((l) => prunes(cfg, l));
  const out: Array<Float32Array | null> = layers.map(() => null);
  const { mode, fraction, q } = cfg.prune;
  if (mode === 'global') {
    const picked = layers.filter((_, i) => eligible[i]);
    const pruned = pruneGlobal(
      picked.map((l) => l.weights),
      fraction,
    );
    let j = 0;
    layers.forEach((_, i) => {
      if (eligible[i]) out[i] = pruned[j++].weights;
    });
    return out;
  }
  layers.forEach((l, i) => {
    if (!eligible[i]) return;
    out[i] =
      mode === 'stdThreshold'
        ? pruneStdThreshold(l.weights, q).weights
        : prunePerLayer(l.weights, fraction).weights;
  });
  return out;
}

function fullPrecisionReason(layer: NetworkLayerWeights, cfg: QuantConfig): string | null {
  if (!isLowPrecision(cfg.weights)) return null;
  if (layer.isFirst && cfg.firstLayerFullPrecision) return 'full precision (first conv)';
  if (layer.isLast && layer.kind === 'fc' && cfg.lastFcFullPrecision) return 'full precision (last fc)';
  return null;
}

/** 16-bit codes for the fixed-point models, the float weights themselves for the forward pass (and DLAC). */
function fullPrecisionLayer(w: Float32Array, shape: number[], reason: string): QuantizedTensor {
  const fixed = quantizeFixedPoint(w, shape, FULL_PRECISION_BITS);
  return {
    ...fixed,
    values: Float32Array.from(w),
    // Stored as dense FP32, as in the footprint reference (accelerators.md §15).
    storageBits: denseBits(w.length, 32),
    meta: { ...fixed.meta, policy: reason },
  };
}

/**
 * Deep Compression sharing, then the shared values re-quantised to the weight fixed-point P for the models
 * (§5); EIE reads `codebookIndex`. Storage: relative-index sparse format when pruned (§15), else dense b-bit
 * indices plus the FP32 codebook.
 */
function sharedLayer(
  layer: NetworkLayerWeights,
  w: Float32Array,
  cfg: QuantConfig,
  pruned: boolean,
): QuantizedTensor {
  const bits = layer.kind === 'conv' ? cfg.share.bitsConv : cfg.share.bitsFc;
  const shared = kmeansShare(w, {
    bits,
    reserveZeroCode: cfg.share.reserveZeroCode,
    maxIter: cfg.share.maxIter,
  });
  const fixed = quantizeFixedPoint(shared.values, layer.shape, cfg.weights.bits);
  const codebookBits = 2 ** bits;
  const storageBits = pruned
    ? relativeIndexBits(shared.values, bits, relativeIndexBitsFor(layer.kind), codebookBits)
    : denseBits(w.length, bits) + codebookBits * 32;
  return {
    ...fixed,
    scheme: 'kmeans',
    values: shared.values,
    storageBits,
    codebookIndex: shared.index,
    meta: { ...fixed.meta, shareBits: bits, codebook: shared.codebook, iterations: shared.iterations },
  };
}

function quantizeWithScheme(
  layer: NetworkLayerWeights,
  index: number,
  w: Float32Array,
  cfg: QuantConfig,
  opts: NetworkQuantOptions,
  pruned: boolean,
): QuantizedTensor {
  const wc = cfg.weights;
  const { shape } = layer;
  switch (wc.scheme) {
    case 'fixed': {
      const q = quantizeFixedPoint(w, shape, wc.bits);
      if (!pruned) return q;
      // Pruned fixed point is stored sparse like Deep Compression without a codebook (§15 has no own row).
      const storageBits = relativeIndexBits(q.codes, wc.bits, relativeIndexBitsFor(layer.kind), 0);
      return { ...q, storageBits };
    }
    case 'uniform':
      return wc.symmetric
        ? quantizeUniformSymmetric(w, shape, wc.bits, wc.granularity)
        : quantizeUniformAsymmetric(w, shape, wc.bits, wc.granularity);
    case 'tensorflow8b':
      return quantizeTensorflow8b(w, shape);
    case 'twn':
      return quantizeTwn(w, shape, { granularity: wc.granularity });
    case 'ttq':
      return quantizeTtq(w, shape, { t: wc.ttqT, scales: opts.ttqScales?.[layer.name] });
    case 'ttqFixedSparsity':
      return quantizeTtqFixedSparsity(w, shape, { p: wc.ttqSparsity, referenceQuirk: wc.referenceQuirk });
    case 'binary':
      return quantizeBinary(w, shape, { granularity: wc.granularity });
    case 'cgs':
      return quantizeCgs(w, shape, { ...wc.cgs, seed: ((opts.seed ?? 1) + index) >>> 0 });
  }
}

/**
 * Network-level weight policy, quantization.md §14 and §5. Per layer: pruning → weight quantiser (or k-means
 * sharing) → the integer operands the accelerator models see. The first conv and the last FC stay at full
 * precision under low-precision schemes when the configuration says so; pruning skips the first conv.
 */
export function quantizeNetworkWeights(
  layers: NetworkLayerWeights[],
  cfg: QuantConfig,
  opts: NetworkQuantOptions = {},
): QuantizedTensor[] {
  const prunedWeights = pruneLayers(layers, cfg);
  return layers.map((layer, i) => {
    const pruned = prunedWeights[i] !== null;
    const w = prunedWeights[i] ?? layer.weights;
    const reason = fullPrecisionReason(layer, cfg);
    let q: QuantizedTensor;
    if (reason) q = fullPrecisionLayer(w, layer.shape, reason);
    else if (sharesWeights(cfg)) q = sharedLayer(layer, w, cfg, pruned);
    else q = quantizeWithScheme(layer, i, w, cfg, opts, pruned);
    const meta: QuantizedTensor['meta'] = { ...q.meta, layer: layer.name };
    if (pruned) meta.pruneMode = cfg.prune.mode;
    return { ...q, meta };
  });
}

export interface QuantizedActivations {
  codes: Int32Array;
  precision: number;
  mag: number;
  frac: number;
  /** tensorflow_8b only: real value = code / scale. */
  scale?: number;
}

/**
 * Activation operands (§5): profiled fixed point with the range-based profile for P = cfg.bits (optionally
 * from the 99.99th percentile), or tensorflow_8b, whose step is the scale (reported as mag 8, frac 0).
 */
export function quantizeActivations(x: Float32Array, cfg: ActQuantConfig): QuantizedActivations {
  if (cfg.scheme === 'tensorflow8b') {
    const { codes, scale } = tensorflow8bCodes(x);
    return { codes, precision: 8, mag: 8, frac: 0, scale };
  }
  const { mag, frac } = rangeProfile(x, cfg.bits, { percentile: cfg.percentile });
  const codes = new Int32Array(x.length);
  const scale = 2 ** frac;
  const lim = 2 ** (mag - 1 + frac) - 1;
  for (let i = 0; i < x.length; i++) codes[i] = profiledCode(x[i], scale, lim);
  return { codes, precision: cfg.bits, mag, frac };
}
