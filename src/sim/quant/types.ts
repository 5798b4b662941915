import type { WeightScheme } from '../config';

/** What produced a tensor's codes: a configured weight scheme, or weight sharing (§10). */
export type SchemeId = WeightScheme | 'kmeans';

export type QuantMeta = Record<string, number | number[] | string>;

/** quantization.md §0: the integer operands for the models plus the floats for the forward pass. */
export interface QuantizedTensor {
  scheme: SchemeId;
  shape: number[];
  /** Integers fed to the accelerator models; a real zero is always code 0 (binary has no zero code). */
  codes: Int32Array;
  /** Dequantised floats used by the forward pass. */
  values: Float32Array;
  /** P (bits incl. sign) reported to the cycle models as Pa / Pw. */
  precision: number;
  /** Weight storage for the footprint table (accelerators.md §15). */
  storageBits: number;
  meta: QuantMeta;
  /**
   * k-means sharing only: codebook index per weight, which EIE stores instead of the value (§5). −1 marks a
   * zero kept outside the codebook; with reserveZeroCode zeros take index 0 (centroid 0.0).
   */
  codebookIndex?: Int32Array;
}

export type Granularity = 'layer' | 'filter';
