import type { ReluThresholdConfig } from '../config';
import { stdDev } from './stats';

/**
 * DLAC's raised rectifier, quantization.md §12: y = x > θ ? x : 0 (ONNX ThresholdedRelu with alpha = θ);
 * θ = 0 is the ordinary ReLU.
 */
export function thresholdedRelu(x: ArrayLike<number>, theta: number): Float32Array {
  if (!(theta >= 0)) throw new Error(`ReLU threshold must be >= 0, got ${theta}`);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] > theta ? x[i] : 0;
  return out;
}

/**
 * θ for one ReLU: disabled → 0; absolute → cfg.theta; relative → τ·std(pre-activation of that ReLU)
 * [reconstruction], population std.
 */
export function reluThreshold(preActivation: ArrayLike<number>, cfg: ReluThresholdConfig): number {
  if (!cfg.enabled) return 0;
  return cfg.mode === 'relative' ? cfg.theta * stdDev(preActivation) : cfg.theta;
}
