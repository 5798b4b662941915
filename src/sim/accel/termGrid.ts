/**
 * Pieces shared by the term-serial grid models (Pragmatic, Laconic): parameter reading, window order (§1.5),
 * brick layouts and the original-geometry coverage counts used for exact fast work and potential sums.
 */
import { isTermEncoding, type TermEncoding } from '../terms';
import { padActivations, type PreparedLayer } from './grid';
import {
  boolParam as gridBool,
  gridParamSpecs,
  intParam as gridInt,
  networkWidth,
  readGrid as readGridConfig,
} from './gridParams';
import type { AccelLayerInput, ParamSpec, Params } from './types';

/** lanes, columns, rows, tiles, firstLayerSpaceToDepth, wb — shared with the other grid models. */
export const GRID_PARAM_SPECS: readonly ParamSpec[] = gridParamSpecs(true);

export const TERM_ENCODING_SPEC: ParamSpec = {
  name: 'termEncoding',
  type: 'enum',
  default: 'boothLike',
  options: ['boothLike', 'naf', 'popcount'],
  description: 'How values are split into signed power-of-two terms (booth-like reproduces DNNsim)',
};

/** Every parameter the caller left out takes its declared default (models may be called directly). */
export function fillDefaults(specs: readonly ParamSpec[], params: Params): Params {
  const out: Params = { ...params };
  for (const spec of specs) if (out[spec.name] === undefined) out[spec.name] = spec.default;
  return out;
}

export interface GridShape {
  lanes: number;
  columns: number;
  rows: number;
  tiles: number;
  spaceToDepth: boolean;
  /** Resolved network width for potentials (never 0). */
  wb: number;
}

/** Reads the grid of filled-in params; `wb = 0` resolves to the layer's own width. */
export function readGrid(params: Params, input: AccelLayerInput): GridShape {
  const grid = readGridConfig(params);
  return { ...grid, wb: networkWidth(input, grid) };
}

export function intParam(params: Params, name: string, min: number, max: number): number {
  const v = gridInt(params, name, min);
  if (v > max) throw new RangeError(`parameter ${name} must be an integer in ${min}..${max}, got ${v}`);
  return v;
}

export const boolParam = gridBool;

export function encodingParam(params: Params): TermEncoding {
  const v = params.termEncoding;
  if (!isTermEncoding(v)) {
    throw new RangeError(`parameter termEncoding must be boothLike, naf or popcount, got ${String(v)}`);
  }
  return v;
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
