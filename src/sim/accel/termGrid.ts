/**
 * Pieces shared by the term-serial grid models (Pragmatic, Laconic): the grid parameters of
 * accelerators.md §0.4, the DaDN baseline on a configurable grid, window groups (§1.5), brick layouts and
 * the original-geometry coverage counts used for exact fast work and potential sums.
 */
import { cdiv } from '../types';
import { isTermEncoding, type TermEncoding } from '../terms';
import { padActivations, type PreparedLayer } from './grid';
import type { AccelLayerInput, ParamSpec, Params } from './types';

export const GRID_PARAM_SPECS: readonly ParamSpec[] = [
  {
    name: 'lanes',
    type: 'int',
    default: 16,
    min: 1,
    max: 64,
    description: 'Channels per brick (lanes per PE).',
  },
  { name: 'columns', type: 'int', default: 16, min: 1, max: 64, description: 'Windows in flight per tile.' },
  { name: 'rows', type: 'int', default: 16, min: 1, max: 64, description: 'Filters in flight per tile.' },
  {
    name: 'tiles',
    type: 'int',
    default: 16,
    min: 1,
    max: 64,
    description: 'Tiles (filter set = rows × tiles).',
  },
  {
    name: 'firstLayerSpaceToDepth',
    type: 'boolean',
    default: true,
    description: 'Apply the first-layer space-to-depth transform (C = 3, stride > 1).',
  },
  {
    name: 'wb',
    type: 'int',
    default: 0,
    min: 0,
    max: 32,
    description: "Network width for potentials; 0 takes the layer's own (16, or 8 with tensorflow_8b).",
  },
];

export const TERM_ENCODING_SPEC: ParamSpec = {
  name: 'termEncoding',
  type: 'enum',
  default: 'boothLike',
  options: ['boothLike', 'naf', 'popcount'],
  description: 'How values are split into signed power-of-two terms (booth-like reproduces DNNsim).',
};

export interface GridShape {
  lanes: number;
  columns: number;
  rows: number;
  tiles: number;
  spaceToDepth: boolean;
  /** Resolved network width for potentials. */
  wb: number;
}

export function intParam(params: Params, name: string, fallback: number, min: number, max: number): number {
  const v = params[name] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`parameter ${name} must be an integer in ${min}..${max}, got ${String(v)}`);
  }
  return v;
}

export function boolParam(params: Params, name: string, fallback: boolean): boolean {
  const v = params[name] ?? fallback;
  if (typeof v !== 'boolean') throw new RangeError(`parameter ${name} must be a boolean, got ${String(v)}`);
  return v;
}

export function encodingParam(params: Params): TermEncoding {
  const v = params.termEncoding ?? 'boothLike';
  if (!isTermEncoding(v))
    throw new RangeError(`parameter termEncoding must be boothLike, naf or popcount, got ${String(v)}`);
  return v;
}

export function readGrid(params: Params, input: AccelLayerInput): GridShape {
  const wbParam = intParam(params, 'wb', 0, 0, 32);
  return {
    lanes: intParam(params, 'lanes', 16, 1, 64),
    columns: intParam(params, 'columns', 16, 1, 64),
    rows: intParam(params, 'rows', 16, 1, 64),
    tiles: intParam(params, 'tiles', 16, 1, 64),
    spaceToDepth: boolParam(params, 'firstLayerSpaceToDepth', true),
    wb: wbParam === 0 ? input.wb : wbParam,
  };
}

/** DaDN (§3) on a grid of `lanes` × `rows` × `tiles`, one window: the grid family's baseline. */
export function gridDadnCycles(p: PreparedLayer, isFc: boolean, grid: GridShape): number {
  const bricks = cdiv(p.C, grid.lanes) * cdiv(p.K, grid.rows * grid.tiles);
  return isFc ? bricks : p.Oh * p.Ow * p.Kh * p.Kw * bricks;
}

/**
 * Offset of each window's top-left input position inside one channel plane of the prepared layer, in §1.5
 * order (h fastest): window n = ow·Oh + oh.
 */
export function windowBases(p: PreparedLayer): Int32Array {
  const n = p.Oh * p.Ow;
  const bases = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const oh = k % p.Oh;
    const ow = Math.floor(k / p.Oh);
    bases[k] = p.stride * oh * p.Nw + p.stride * ow;
  }
  return bases;
}

/**
 * Re-lays a per-element plane-major array [C][Nh·Nw] as position-major bricks [Nh·Nw][cPad] (channel fastest,
 * lanes past C zero), so that a brick is contiguous.
 */
export function positionMajor<T extends Uint8Array | Uint16Array>(
  src: T,
  C: number,
  plane: number,
  cPad: number,
  out: T,
): T {
  for (let c = 0; c < C; c++) {
    const from = c * plane;
    for (let x = 0; x < plane; x++) out[x * cPad + c] = src[from + x];
  }
  return out;
}

/**
 * Original-geometry (no §1.4 transform) view of a layer for the exact work and potential sums: padded input
 * and, per padded row/column, how many (output, kernel offset) pairs read it.
 */
export interface Coverage {
  C: number;
  Nh: number;
  Nw: number;
  Oh: number;
  Ow: number;
  act: Int32Array;
  rowUses: Int32Array;
  colUses: Int32Array;
}

export function originalCoverage(input: AccelLayerInput): Coverage {
  const g = input.geometry;
  const Nh = g.H + 2 * g.pad;
  const Nw = g.W + 2 * g.pad;
  const Oh = Math.floor((Nh - g.Kh) / g.stride) + 1;
  const Ow = Math.floor((Nw - g.Kw) / g.stride) + 1;
  const rowUses = new Int32Array(Nh);
  const colUses = new Int32Array(Nw);
  for (let o = 0; o < Oh; o++) for (let i = 0; i < g.Kh; i++) rowUses[g.stride * o + i]++;
  for (let o = 0; o < Ow; o++) for (let j = 0; j < g.Kw; j++) colUses[g.stride * o + j]++;
  return { C: g.C, Nh, Nw, Oh, Ow, act: padActivations(input.act, g.C, g.H, g.W, g.pad), rowUses, colUses };
}

/**
 * Exact Σ_MACs T(a) and the number of MACs with a zero activation, on the original geometry (§1.8: no
 * transform); a padded position read by u windows and kernel offsets counts u times.
 */
export function activationTermSums(
  cov: Coverage,
  countTable: Uint8Array,
): { terms: number; zeroUses: number } {
  const { act, C, rowUses, colUses, Nh, Nw } = cov;
  let terms = 0;
  let zeroUses = 0;
  for (let c = 0; c < C; c++) {
    for (let h = 0; h < Nh; h++) {
      const ru = rowUses[h];
      if (ru === 0) continue;
      let rowTerms = 0;
      let rowZeros = 0;
      const off = (c * Nh + h) * Nw;
      for (let w = 0; w < Nw; w++) {
        const v = act[off + w];
        const t = countTable[v < 0 ? -v : v];
        if (t === 0) rowZeros += colUses[w];
        else rowTerms += t * colUses[w];
      }
      terms += ru * rowTerms;
      zeroUses += ru * rowZeros;
    }
  }
  return { terms, zeroUses };
}
