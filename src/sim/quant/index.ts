/** Public API of the quantisers (quantization.md): pure functions from float tensors to model operands. */
export type { QuantizedTensor, QuantMeta, SchemeId, Granularity } from './types';
export { rha, clamp } from './rounding';
export { maxAbs, meanAbs, stdDev, percentileAbs } from './stats';
export { quantizeUniformSymmetric, quantizeUniformAsymmetric } from './uniform';
export {
  profiledValue,
  rangeProfile,
  integerBits,
  quantizeProfiled,
  quantizeFixedPoint,
  DNNSIM_DEFAULT_PROFILES,
  PROFILE_PERCENTILE,
  type FixedPointProfile,
} from './fixedPoint';
export { tensorflow8bCodes, quantizeTensorflow8b, type Tensorflow8bCodes } from './tensorflow8b';
export { quantizeTwn, TWN_DELTA_FACTOR } from './twn';
export { detectTernary, type DetectedTernary, type DetectedTernaryKind } from './ternaryDetect';
export {
  quantizeTtq,
  quantizeTtqFixedSparsity,
  ttqCodes,
  ttqFitScales,
  parseTtqSidecar,
  TTQ_DEFAULT_T,
  type TtqLayerScales,
  type TtqScales,
} from './ttq';
export { quantizeBinary } from './binary';
export { prunePerLayer, pruneGlobal, pruneStdThreshold, type PruneResult } from './prune';
export { kmeansShare, linearInit, type KMeansOptions, type KMeansResult } from './kmeans';
export { cgsMask, cgsElementMask, quantizeCgs, type CgsMask, type CgsOptions } from './cgs';
export { thresholdedRelu, reluThreshold } from './threshold';
export * from './storage';
export {
  quantizeNetworkWeights,
  quantizeActivations,
  networkWidth,
  isLowPrecision,
  FULL_PRECISION_BITS,
  type NetworkLayerWeights,
  type NetworkQuantOptions,
  type QuantizedActivations,
} from './network';
