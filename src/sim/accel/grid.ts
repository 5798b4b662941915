import { cdiv } from '../types';
import type { AccelLayerInput } from './types';

/** Grid vocabulary of accelerators.md §1.6. */
export const LANES = 16;
export const COLUMNS = 16;
export const ROWS = 16;
export const TILES = 16;

/**
 * A layer after zero padding (§1.3) and, when requested, the first-layer space-to-depth transform (§1.4).
 * `act` is the padded input [C][Nh][Nw]; `wgt` is [K][C][Kh][Kw]; `stride` applies to `act`; no further padding.
 */
export interface PreparedLayer {
  C: number;
  Nh: number;
  Nw: number;
  K: number;
  Kh: number;
  Kw: number;
  stride: number;
  Oh: number;
  Ow: number;
  act: Int32Array;
  wgt: Int32Array;
  transformed: boolean;
}

export function needsSpaceToDepth(input: AccelLayerInput, enabled: boolean): boolean {
  return enabled && input.geometry.kind === 'conv' && input.geometry.C === 3 && input.geometry.stride > 1;
}

/** Zero-pads the activations by `pad` on every side. */
export function padActivations(act: Int32Array, C: number, H: number, W: number, pad: number): Int32Array {
  if (pad === 0) return act;
  const Nh = H + 2 * pad;
  const Nw = W + 2 * pad;
  const out = new Int32Array(C * Nh * Nw);
  for (let c = 0; c < C; c++)
    for (let h = 0; h < H; h++)
      out.set(act.subarray((c * H + h) * W, (c * H + h + 1) * W), (c * Nh + h + pad) * Nw + pad);
  return out;
}

/** The §1.4 weights [K][C·s²][cdiv(Kh, s)][cdiv(Kw, s)] of a layer with stride s (zeros in the added slots). */
export function spaceToDepthWeights(input: AccelLayerInput): Int32Array {
  const g = input.geometry;
  const s = g.stride;
  const C = g.C;
  const C2 = C * s * s;
  const Kh2 = cdiv(g.Kh, s);
  const Kw2 = cdiv(g.Kw, s);
  const wgt2 = new Int32Array(g.K * C2 * Kh2 * Kw2);
  for (let k = 0; k < g.K; k++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < g.Kh; i++)
        for (let j = 0; j < g.Kw; j++) {
          const c2 = (j % s) * s * C + (i % s) * C + c;
          wgt2[((k * C2 + c2) * Kh2 + Math.floor(i / s)) * Kw2 + Math.floor(j / s)] =
            input.wgt[((k * C + c) * g.Kh + i) * g.Kw + j];
        }
  return wgt2;
}

/** Pads the layer and applies §1.4 when `spaceToDepth` says so (C == 3 && stride > 1 && the option is on). */
export function prepareLayer(input: AccelLayerInput, spaceToDepth: boolean): PreparedLayer {
  const g = input.geometry;
  const Nh = g.H + 2 * g.pad;
  const Nw = g.W + 2 * g.pad;
  const act = padActivations(input.act, g.C, g.H, g.W, g.pad);
  const Oh = Math.floor((Nh - g.Kh) / g.stride) + 1;
  const Ow = Math.floor((Nw - g.Kw) / g.stride) + 1;
  if (!needsSpaceToDepth(input, spaceToDepth)) {
    return {
      C: g.C,
      Nh,
      Nw,
      K: g.K,
      Kh: g.Kh,
      Kw: g.Kw,
      stride: g.stride,
      Oh,
      Ow,
      act,
      wgt: input.wgt,
      transformed: false,
    };
  }
  const s = g.stride;
  const C = g.C;
  const C2 = C * s * s;
  const Nh2 = cdiv(Nh, s);
  const Nw2 = cdiv(Nw, s);
  const Kh2 = cdiv(g.Kh, s);
  const Kw2 = cdiv(g.Kw, s);
  const act2 = new Int32Array(C2 * Nh2 * Nw2);
  for (let c = 0; c < C; c++)
    for (let h = 0; h < Nh; h++)
      for (let w = 0; w < Nw; w++) {
        const c2 = (w % s) * s * C + (h % s) * C + c;
        act2[(c2 * Nh2 + Math.floor(h / s)) * Nw2 + Math.floor(w / s)] = act[(c * Nh + h) * Nw + w];
      }
  const wgt2 = spaceToDepthWeights(input);
  // Output size is the original one; the transformed layer is evaluated with stride 1 over those outputs.
  return {
    C: C2,
    Nh: Nh2,
    Nw: Nw2,
    K: g.K,
    Kh: Kh2,
    Kw: Kw2,
    stride: 1,
    Oh,
    Ow,
    act: act2,
    wgt: wgt2,
    transformed: true,
  };
}

/** DaDianNao cycles (§3) on a prepared layer: the baselineCycles of every grid model. */
export function dadnCyclesPrepared(p: PreparedLayer, isFc: boolean): number {
  if (isFc) return cdiv(p.C, LANES) * cdiv(p.K, ROWS * TILES);
  return p.Oh * p.Ow * p.Kh * p.Kw * cdiv(p.C, LANES) * cdiv(p.K, ROWS * TILES);
}

/** Geometry-only DaDN cycles (no tensors touched), with the same space-to-depth rule. */
export function dadnCycles(input: AccelLayerInput, spaceToDepth: boolean): number {
  const g = input.geometry;
  const Oh = Math.floor((g.H + 2 * g.pad - g.Kh) / g.stride) + 1;
  const Ow = Math.floor((g.W + 2 * g.pad - g.Kw) / g.stride) + 1;
  if (g.kind === 'fc') return cdiv(g.C, LANES) * cdiv(g.K, ROWS * TILES);
  if (needsSpaceToDepth(input, spaceToDepth)) {
    const s = g.stride;
    return Oh * Ow * cdiv(g.Kh, s) * cdiv(g.Kw, s) * cdiv(g.C * s * s, LANES) * cdiv(g.K, ROWS * TILES);
  }
  return Oh * Ow * g.Kh * g.Kw * cdiv(g.C, LANES) * cdiv(g.K, ROWS * TILES);
}

/** Window n in §1.5 order (h fastest): n = ow * Oh + oh. */
export function windowToOutput(n: number, Oh: number): { oh: number; ow: number } {
  return { oh: n % Oh, ow: Math.floor(n / Oh) };
}
