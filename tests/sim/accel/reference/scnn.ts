/**
 * Literal transliteration of the SCNN pseudo-code of accelerators.md §10 (DNNsim SCNN.cpp semantics), written
 * independently of src/sim/accel/scnn*.ts: plain arrays, per-group bank counts, no shortcuts.
 */
import type { AccelLayerInput, Params } from '../../../../src/sim/accel/types';

export interface ScnnReference {
  cycles: number;
  dense: number;
  products: number;
  halo: number;
  /** All products formed, valid or not. */
  multiplied: number;
}

function bank(k: number, x: number, y: number, banks: number): number {
  return (
    ((((k & 4) << 2) ^ ((x & 2) << 3) ^ ((y & 2) << 3)) + ((x & 1) << 3) + ((y & 1) << 2) + (k & 3)) % banks
  );
}

/**
 * The work of one output-channel group kc and input channel c: per PE (px·Pg + py), the list of its
 * I × F groups, each given as the bank of every valid product; plus each PE's dense cost.
 */
export interface ChannelWork {
  kc: number;
  c: number;
  groups: number[][][];
  dense: number[];
  multiplied: number;
}

export interface ScnnShape {
  channels: ChannelWork[];
  /** Halo cycles after each output-channel group, in order. */
  halos: number[];
}

export function referenceScnn(input: AccelLayerInput, params: Params): ScnnReference {
  const shape = scnnWork(input, params);
  let cycles = 0;
  let dense = 0;
  let products = 0;
  let multiplied = 0;
  for (const ch of shape.channels) {
    multiplied += ch.multiplied;
    cycles += Math.max(
      ...ch.groups.map((pe) => pe.reduce((sum, g) => sum + Math.max(1, ...countBanks(g)), 0)),
    );
    dense += Math.max(...ch.dense);
    for (const pe of ch.groups) for (const g of pe) products += g.length;
  }
  const halo = shape.halos.reduce((a, b) => a + b, 0);
  return { cycles: cycles + halo, dense: dense + halo, products, halo, multiplied };
}

function countBanks(group: number[]): number[] {
  const count = new Map<number, number>();
  for (const b of group) count.set(b, (count.get(b) ?? 0) + 1);
  return [...count.values()];
}

export function scnnWork(input: AccelLayerInput, params: Params): ScnnShape {
  const Pg = (params.peGrid as number) ?? 8;
  const I = (params.I as number) ?? 4;
  const F = (params.F as number) ?? 4;
  const accEntries = (params.accEntries as number) ?? 1024;
  const banks = (params.banks as number) ?? 32;
  const geometric = params.mode === 'geometric';
  const g = input.geometry;

  // act[c][x][y] (padded) and wgt[k][c][r][q] as nested arrays.
  let C: number, X: number, Y: number, R: number, S: number, s: number, p: number;
  let act: number[][][];
  let wgt: number[][][][];
  if (g.kind === 'fc') {
    C = Math.ceil(g.C / 256);
    X = Y = R = S = 16;
    s = 1;
    p = 0;
    const flatA = new Array<number>(C * 256).fill(0);
    for (let i = 0; i < g.C; i++) flatA[i] = input.act[i];
    act = [...Array(C)].map((_, c) =>
      [...Array(16)].map((_, x) => [...Array(16)].map((_, y) => flatA[c * 256 + x * 16 + y])),
    );
    wgt = [...Array(g.K)].map((_, k) =>
      [...Array(C)].map((_, c) =>
        [...Array(16)].map((_, r) =>
          [...Array(16)].map((_, q) => {
            const i = c * 256 + r * 16 + q;
            return i < g.C ? input.wgt[k * g.C + i] : 0;
          }),
        ),
      ),
    );
  } else {
    C = g.C;
    p = g.pad;
    s = g.stride;
    R = g.Kh;
    S = g.Kw;
    X = g.H + 2 * p;
    Y = g.W + 2 * p;
    act = [...Array(C)].map((_, c) =>
      [...Array(X)].map((_, x) =>
        [...Array(Y)].map((_, y) => {
          const h = x - p;
          const w = y - p;
          return h >= 0 && h < g.H && w >= 0 && w < g.W ? input.act[(c * g.H + h) * g.W + w] : 0;
        }),
      ),
    );
    wgt = [...Array(g.K)].map((_, k) =>
      [...Array(C)].map((_, c) =>
        [...Array(R)].map((_, r) => [...Array(S)].map((_, q) => input.wgt[((k * C + c) * R + r) * S + q])),
      ),
    );
  }
  const K = g.K;
  const W = Math.floor((X - R) / s) + 1; // outputs along x
  const H = Math.floor((Y - S) / s) + 1; // outputs along y
  const tw0 = Math.ceil(W / Pg);
  const th0 = Math.ceil(H / Pg);
  const Kc = Math.max(1, Math.floor(accEntries / (tw0 * th0)));
  const Xe = Math.ceil(X / Pg) * Pg;
  const Ye = Math.ceil(Y / Pg) * Pg;
  const tw = Xe / Pg;
  const th = Ye / Pg;
  const at = (c: number, x: number, y: number) => (x < X && y < Y ? act[c][x][y] : 0);

  const channels: ChannelWork[] = [];
  const halos: number[] = [];
  for (let kc = 0; kc < K; kc += Kc) {
    const kEnd = Math.min(kc + Kc, K);
    for (let c = 0; c < C; c++) {
      const peGroups: number[][][] = [];
      let multiplied = 0;
      const peDense: number[] = [];
      for (let px = 0; px < Pg; px++)
        for (let py = 0; py < Pg; py++) {
          const acts: [number, number][][][] = [...Array(s)].map(() => [...Array(s)].map(() => []));
          const denseActs = [...Array(s)].map(() => new Array<number>(s).fill(0));
          for (let x = px * tw; x < px * tw + tw; x++)
            for (let y = py * th; y < py * th + th; y++) {
              if (at(c, x, y) !== 0) acts[x % s][y % s].push([x, y]);
              denseActs[x % s][y % s]++;
            }
          const wgts: [number, number, number][][][] = [...Array(s)].map(() => [...Array(s)].map(() => []));
          const denseW = [...Array(s)].map(() => new Array<number>(s).fill(0));
          for (let r = 0; r < R; r++)
            for (let q = 0; q < S; q++)
              for (let k = kc; k < kEnd; k++) {
                const sx = geometric ? r % s : (r + p) % s;
                const sy = geometric ? q % s : (q + p) % s;
                if (wgt[k][c][r][q] !== 0) wgts[sx][sy].push([k, r, q]);
                denseW[sx][sy]++;
              }
          const groups: number[][] = [];
          let dcost = 0;
          for (let sx = 0; sx < s; sx++)
            for (let sy = 0; sy < s; sy++) {
              const A = acts[sx][sy];
              const Wl = wgts[sx][sy];
              for (let i = 0; i < A.length; i += I)
                for (let f = 0; f < Wl.length; f += F) {
                  const group: number[] = [];
                  for (let ii = i; ii < Math.min(i + I, A.length); ii++)
                    for (let ff = f; ff < Math.min(f + F, Wl.length); ff++) {
                      multiplied++;
                      const [x, y] = A[ii];
                      const [k, r, q] = Wl[ff];
                      let u: number, v: number;
                      if (geometric) {
                        if (x - r < 0 || (x - r) % s !== 0 || y - q < 0 || (y - q) % s !== 0) continue;
                        u = (x - r) / s;
                        v = (y - q) / s;
                      } else {
                        u = Math.trunc((x - r) / s);
                        v = Math.trunc((y - q) / s);
                      }
                      if (u >= 0 && u < W && v >= 0 && v < H) group.push(bank(k, u, v, banks));
                    }
                  groups.push(group);
                }
              dcost += Math.ceil(denseActs[sx][sy] / I) * Math.ceil(denseW[sx][sy] / F);
            }
          peGroups.push(groups);
          peDense.push(dcost);
        }
      channels.push({ kc, c, groups: peGroups, dense: peDense, multiplied });
    }
    const xv = [R - 1 - p, tw, p];
    const yv = [S - 1 - p, th, p];
    let maxPsum = 0;
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) if (a !== 1 || b !== 1) maxPsum = Math.max(maxPsum, xv[a] * yv[b]);
    halos.push(maxPsum * Math.min(Kc, K - kc));
  }
  return { channels, halos };
}

/** (input, params) → cycles, for the bench and equality tests. */
export function scnnReferenceCycles(input: AccelLayerInput, params: Params): number {
  return referenceScnn(input, params).cycles;
}
