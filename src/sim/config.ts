import { MODEL_IDS, type ModelId, type ParamValue } from './accel/types';
import type { EnergyConstants } from './energy/constants';

/**
 * The configuration that defines a result. The CLI reads it from JSON or a link hash, the app keeps it in
 * its store and writes it into the URL. Every field is plain data.
 */

export type WeightScheme =
  | 'fixed' // DNNsim profiled fixed point with a range-based profile, `bits` wide (16 = "full precision")
  | 'uniform' // uniform k-bit, symmetric or asymmetric, per tensor or per channel (quantization.md §1-2)
  | 'tensorflow8b' // DNNsim tensorflow_8b (§4)
  | 'twn' // Ternary Weight Networks (§6)
  | 'ttq' // TTQ: learned scales detected in the model, else post-training fit (§7)
  | 'ttqFixedSparsity' // TTQ p_ternarize (§7)
  | 'binary' // BWN (§8)
  | 'cgs'; // coarse-grain block sparsity + b-bit (§11)

export interface WeightQuantConfig {
  scheme: WeightScheme;
  bits: number; // fixed / uniform
  symmetric: boolean; // uniform
  granularity: 'layer' | 'filter'; // uniform (per channel = filter), twn, binary
  ttqT: number; // TTQ threshold factor t
  ttqSparsity: number; // ttqFixedSparsity p
  referenceQuirk: boolean; // ttqFixedSparsity strict comparison
  cgs: { br: number; bc: number; compression: number; bits: number };
}

export interface PruneConfig {
  enabled: boolean;
  mode: 'perLayer' | 'global' | 'stdThreshold';
  fraction: number; // perLayer / global
  q: number; // stdThreshold
}

export interface ShareConfig {
  enabled: boolean;
  bitsConv: number;
  bitsFc: number;
  reserveZeroCode: boolean;
  maxIter: number;
}

export interface ActQuantConfig {
  scheme: 'fixed' | 'tensorflow8b';
  bits: number; // fixed: P of the range-based profile (16 default, 8 preset)
  percentile: boolean; // use the 99.99th percentile of |x| instead of max
}

export interface ReluThresholdConfig {
  enabled: boolean;
  mode: 'absolute' | 'relative';
  theta: number; // absolute threshold, or tau (multiples of the pre-activation std) in relative mode
}

export interface QuantConfig {
  weights: WeightQuantConfig;
  prune: PruneConfig;
  share: ShareConfig;
  acts: ActQuantConfig;
  reluThreshold: ReluThresholdConfig;
  firstLayerFullPrecision: boolean;
  lastFcFullPrecision: boolean;
}

export interface SimConfig {
  version: 1;
  /** Built-in model name (see MODEL_NAMES) or 'custom' for a user-supplied ONNX file. */
  model: string;
  /** Number of shipped test images: activations for the accelerators are averaged over them; accuracy uses all. */
  images: number;
  /** First image index into the shipped test set. */
  imageOffset: number;
  seed: number;
  quant: QuantConfig;
  accels: ModelId[];
  /** Accelerator parameters as "id.name" -> value; absent keys take the spec's defaults. */
  params: Record<string, ParamValue>;
  /**
   * Overrides of the energy estimate's constants (src/sim/energy/constants.ts); absent names take the
   * defaults. Optional so that configurations and links without it stay valid.
   */
  energy?: Partial<EnergyConstants>;
}

export const BUILTIN_MODELS = [
  'fmnist-resnet20',
  'fmnist-resnet20-ttq',
  'fmnist-resnet20-dlac',
  'resnet18-synthetic',
  'resnet34-synthetic',
  'resnet50-synthetic',
] as const;
export type BuiltinModel = (typeof BUILTIN_MODELS)[number];

export function defaultQuantConfig(): QuantConfig {
  return {
    weights: {
      scheme: 'fixed',
      bits: 16,
      symmetric: true,
      granularity: 'layer',
      ttqT: 0.05,
      ttqSparsity: 0.5,
      referenceQuirk: false,
      cgs: { br: 16, bc: 16, compression: 8, bits: 3 },
    },
    prune: { enabled: false, mode: 'perLayer', fraction: 0.5, q: 1 },
    share: { enabled: false, bitsConv: 8, bitsFc: 5, reserveZeroCode: false, maxIter: 100 },
    acts: { scheme: 'fixed', bits: 16, percentile: false },
    reluThreshold: { enabled: false, mode: 'absolute', theta: 0 },
    firstLayerFullPrecision: true,
    lastFcFullPrecision: true,
  };
}

/** The weight scheme each built-in model is meant to be read with (ternary exports are detected exactly). */
export function defaultSchemeFor(model: string): WeightScheme {
  if (model.endsWith('-ttq')) return 'ttq';
  if (model.endsWith('-dlac')) return 'twn';
  return 'fixed';
}

export function defaultConfig(model: string = 'fmnist-resnet20'): SimConfig {
  const quant = defaultQuantConfig();
  quant.weights.scheme = defaultSchemeFor(model);
  return {
    version: 1,
    model,
    images: 1,
    imageOffset: 0,
    seed: 1,
    quant,
    accels: [...MODEL_IDS],
    params: {},
  };
}
