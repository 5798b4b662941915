/**
 * Test-only helpers: a literal padding + first-layer space-to-depth (accelerators.md §1.3–1.4) independent
 * of src/sim/accel/grid.ts, the §1.5 window order, and seeded random layers.
 */
import { mulberry32 } from '../../../../src/sim/prng';
import type { AccelLayerInput } from '../../../../src/sim/accel/types';
import type { LayerGeometry } from '../../../../src/sim/types';

export interface RefLayer {
  C: number;
  Nh: number;
  Nw: number;
  K: number;
  Kh: number;
  Kw: number;
  s: number;
  Oh: number;
  Ow: number;
  /** Padded (and possibly transformed) input [C][Nh][Nw]. */
  A: Int32Array;
  /** Weights [K][C][Kh][Kw]. */
  W: Int32Array;
}

export const cdivRef = (a: number, b: number) => Math.floor((a + b - 1) / b);

export function refPrepare(input: AccelLayerInput, spaceToDepth: boolean): RefLayer {
  const g = input.geometry;
  const Nh = g.H + 2 * g.pad;
  const Nw = g.W + 2 * g.pad;
  const Oh = Math.floor((Nh - g.Kh) / g.stride) + 1;
  const Ow = Math.floor((Nw - g.Kw) / g.stride) + 1;
  const Ap = new Int32Array(g.C * Nh * Nw);
  for (let c = 0; c < g.C; c++)
    for (let y = 0; y < g.H; y++)
      for (let x = 0; x < g.W; x++)
        Ap[(c * Nh + y + g.pad) * Nw + x + g.pad] = input.act[(c * g.H + y) * g.W + x];
  if (!(spaceToDepth && g.kind === 'conv' && g.C === 3 && g.stride > 1)) {
    return { C: g.C, Nh, Nw, K: g.K, Kh: g.Kh, Kw: g.Kw, s: g.stride, Oh, Ow, A: Ap, W: input.wgt };
  }
  const s = g.stride;
  const C = g.C;
  const C2 = C * s * s;
  const Nh2 = cdivRef(Nh, s);
  const Nw2 = cdivRef(Nw, s);
  const Kh2 = cdivRef(g.Kh, s);
  const Kw2 = cdivRef(g.Kw, s);
  const A2 = new Int32Array(C2 * Nh2 * Nw2);
  for (let c = 0; c < C; c++)
    for (let h = 0; h < Nh; h++)
      for (let w = 0; w < Nw; w++) {
        const c2 = (w % s) * s * C + (h % s) * C + c;
        A2[(c2 * Nh2 + Math.floor(h / s)) * Nw2 + Math.floor(w / s)] = Ap[(c * Nh + h) * Nw + w];
      }
  const W2 = new Int32Array(g.K * C2 * Kh2 * Kw2);
  for (let k = 0; k < g.K; k++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < g.Kh; i++)
        for (let j = 0; j < g.Kw; j++) {
          const c2 = (j % s) * s * C + (i % s) * C + c;
          W2[((k * C2 + c2) * Kh2 + Math.floor(i / s)) * Kw2 + Math.floor(j / s)] =
            input.wgt[((k * C + c) * g.Kh + i) * g.Kw + j];
        }
  return { C: C2, Nh: Nh2, Nw: Nw2, K: g.K, Kh: Kh2, Kw: Kw2, s: 1, Oh, Ow, A: A2, W: W2 };
}

export const actAt = (L: RefLayer, c: number, h: number, w: number) => L.A[(c * L.Nh + h) * L.Nw + w];
export const wgtAt = (L: RefLayer, k: number, c: number, i: number, j: number) =>
  L.W[((k * L.C + c) * L.Kh + i) * L.Kw + j];

/** Windows in §1.5 order (h fastest), grouped by `columns`. */
export function refWindowGroups(L: RefLayer, columns: number): Array<Array<{ oh: number; ow: number }>> {
  const groups: Array<Array<{ oh: number; ow: number }>> = [];
  for (let n = 0; n < L.Oh * L.Ow; n++) {
    if (n % columns === 0) groups.push([]);
    groups[groups.length - 1].push({ oh: n % L.Oh, ow: Math.floor(n / L.Oh) });
  }
  return groups;
}

export interface RandomLayerOptions {
  actDensity?: number;
  wgtDensity?: number;
  maxAct?: number;
  maxWgt?: number;
  signedActs?: boolean;
  isFirst?: boolean;
  pa?: number;
  pw?: number;
  wb?: number;
}

export function convGeometry(
  C: number,
  H: number,
  K: number,
  k: number,
  stride: number,
  pad: number,
  W = H,
): LayerGeometry {
  return { kind: 'conv', C, H, W, K, Kh: k, Kw: k, stride, pad };
}

export function fcGeometry(C: number, K: number): LayerGeometry {
  return { kind: 'fc', C, H: 1, W: 1, K, Kh: 1, Kw: 1, stride: 1, pad: 0 };
}

export function randomLayer(
  seed: number,
  geometry: LayerGeometry,
  o: RandomLayerOptions = {},
): AccelLayerInput {
  const rnd = mulberry32(seed);
  const g = geometry;
  const draw = (density: number, max: number, signed: boolean) => {
    if (rnd() >= density) return 0;
    const m = 1 + Math.floor(rnd() * max);
    return signed && rnd() < 0.5 ? -m : m;
  };
  const act = new Int32Array(g.C * g.H * g.W);
  for (let x = 0; x < act.length; x++)
    act[x] = draw(o.actDensity ?? 0.6, o.maxAct ?? 255, o.signedActs ?? false);
  const wgt = new Int32Array(g.K * g.C * g.Kh * g.Kw);
  for (let x = 0; x < wgt.length; x++) wgt[x] = draw(o.wgtDensity ?? 0.8, o.maxWgt ?? 127, true);
  return {
    name: 'random',
    geometry: g,
    act,
    wgt,
    pa: o.pa ?? 9,
    pw: o.pw ?? 8,
    wb: o.wb ?? 16,
    isFirst: o.isFirst ?? false,
  };
}
