/** Shared data types of the simulation core. Everything here is plain data (structured-clone safe). */

export type LayerKind = 'conv' | 'fc';

/** Geometry of one conv/FC layer, original (untransformed). FC: H = W = Kh = Kw = 1, stride 1, pad 0. */
export interface LayerGeometry {
  kind: LayerKind;
  C: number; // input channels (FC: in_features)
  H: number; // input height (unpadded)
  W: number; // input width (unpadded)
  K: number; // filters (FC: out_features)
  Kh: number;
  Kw: number;
  stride: number;
  pad: number;
}

/**
 * One quantised layer as the accelerator models consume it. `acts[n]` is image n's layer input
 * (C*H*W integer codes, unpadded, NCHW order); `weights` are the K*C*Kh*Kw integer codes (PyTorch order).
 * A real zero is always code 0.
 */
export interface LayerWork {
  name: string;
  index: number;
  geometry: LayerGeometry;
  weights: Int32Array;
  acts: Int32Array[];
  /** Precision in bits (incl. sign) of the activation / weight codes. */
  pa: number;
  pw: number;
  /** Network width used by potentials (16, or 8 with tensorflow_8b). */
  wb: number;
  /** First conv of the network (space-to-depth and full-precision policies). */
  isFirst: boolean;
  /** Numbers come from seeded synthetic tensors, not from a real forward pass. */
  synthetic: boolean;
  /** Point-wise ops following this layer (BN, ReLU/threshold, residual add), for DLAC's pointwise cycles. */
  pointwiseOps?: number;
}

export function layerMacs(g: LayerGeometry): number {
  const oh = outSize(g.H, g.Kh, g.stride, g.pad);
  const ow = outSize(g.W, g.Kw, g.stride, g.pad);
  return g.K * oh * ow * g.Kh * g.Kw * g.C;
}

export function outSize(n: number, k: number, stride: number, pad: number): number {
  return Math.floor((n + 2 * pad - k) / stride) + 1;
}

export function cdiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}
