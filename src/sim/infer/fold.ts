import type { BatchNormParams } from '../model/types';
import { PANEL, packWeights } from './gemm';

/**
 * Per-filter affine map that turns the raw layer output into what the graph computes after it:
 * y_k = factor_k * (W x)_k + offset_k, with factor/offset absorbing Gemm alpha/beta and a following BN.
 */
export interface FoldedAffine {
  factor: Float64Array;
  offset: Float64Array;
}

export function foldAffine(
  K: number,
  bias: Float32Array | undefined,
  bn: BatchNormParams | undefined,
  alpha = 1,
  beta = 1,
): FoldedAffine {
  const factor = new Float64Array(K);
  const offset = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const b = bias ? beta * bias[k] : 0;
    if (bn) {
      const s = bn.scale[k] / Math.sqrt(bn.var[k] + bn.eps);
      factor[k] = alpha * s;
      offset[k] = s * (b - bn.mean[k]) + bn.bias[k];
    } else {
      factor[k] = alpha;
      offset[k] = b;
    }
  }
  return { factor, offset };
}

/** Weights [K][D] scaled per filter (BN folded), as a new array. */
export function scaleFilters(
  weights: Float32Array,
  K: number,
  D: number,
  factor: Float64Array,
): Float32Array {
  const out = new Float32Array(K * D);
  for (let k = 0; k < K; k++) {
    const f = factor[k];
    for (let d = 0; d < D; d++) out[k * D + d] = weights[k * D + d] * f;
  }
  return out;
}

export interface PackedConv {
  kind: 'float';
  packed: Float32Array;
  /** One entry per packed filter row (zeros past K). */
  bias: Float32Array;
  panels: number;
}

export function packConv(weights: Float32Array, K: number, D: number, affine: FoldedAffine): PackedConv {
  const panels = Math.ceil(K / PANEL);
  const packed = new Float32Array(panels * PANEL * D);
  packWeights(scaleFilters(weights, K, D, affine.factor), K, D, packed);
  const bias = new Float32Array(panels * PANEL);
  bias.set(affine.offset);
  return { kind: 'float', packed, bias, panels };
}
