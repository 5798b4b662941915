/** Small helpers shared by the reference models: padded activation access in original coordinates. */
import type { AccelLayerInput } from '../../../../src/sim/accel/types';

export interface PaddedView {
  C: number;
  K: number;
  Kh: number;
  Kw: number;
  s: number;
  Oh: number;
  Ow: number;
  /** Padded activation A[c][h][w] (0 outside the input). */
  a(c: number, h: number, w: number): number;
  /** Weight W[f][c][i][j]. */
  w(f: number, c: number, i: number, j: number): number;
}

export function paddedView(input: AccelLayerInput): PaddedView {
  const g = input.geometry;
  const p = g.pad;
  const Oh = Math.floor((g.H + 2 * p - g.Kh) / g.stride) + 1;
  const Ow = Math.floor((g.W + 2 * p - g.Kw) / g.stride) + 1;
  return {
    C: g.C,
    K: g.K,
    Kh: g.Kh,
    Kw: g.Kw,
    s: g.stride,
    Oh,
    Ow,
    a: (c, h, w) => {
      const y = h - p;
      const x = w - p;
      return y >= 0 && y < g.H && x >= 0 && x < g.W ? input.act[(c * g.H + y) * g.W + x] : 0;
    },
    w: (f, c, i, j) => input.wgt[((f * g.C + c) * g.Kh + i) * g.Kw + j],
  };
}
