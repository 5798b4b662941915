/**
 * Pieces shared by the term-serial grid models (Pragmatic, Laconic): parameter reading, window order (§1.5),
 * brick layouts and the original-geometry coverage counts used for exact fast work and potential sums.
 */
import { isTermEncoding, MAX_MAGNITUDE, termRangeError, type TermEncoding } from '../terms';
import type { PreparedLayer } from './grid';
import {
  boolParam as gridBool,
  gridParamSpecs,
  intParam as gridInt,
  networkWidth,
  preparedMap,
  readGrid as readGridConfig,
  type PreparedMap,
  type PreparedShape,
} from './gridParams';

export type { PreparedShape } from './gridParams';
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
export function windowBases(p: Pick<PreparedLayer, 'Oh' | 'Ow' | 'Nw' | 'stride'>): Int32Array {
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
 * The prepared layer's shape and table[|a|] of its activations in the brick layout [Nh·Nw][cPad] (channel
 * fastest, padding and lanes past C zero), read straight from the unpadded input through `preparedMap`.
 */
export function preparedTerms<T extends Uint8Array | Uint16Array>(
  input: AccelLayerInput,
  spaceToDepth: boolean,
  lanes: number,
  table: T,
  make: new (length: number) => T,
): { p: PreparedShape; cPad: number; terms: T } {
  const map = preparedMap(input, spaceToDepth);
  const { p } = map;
  const cPad = Math.ceil(p.C / lanes) * lanes;
  const terms = new make(p.Nh * p.Nw * cPad);
  brickTerms(input, map, cPad, table, terms, null);
  return { p, cPad, terms };
}

/**
 * Writes table[|a|] of every input activation at its prepared brick position (see preparedTerms) and, when
 * `counts` is given, returns activationTermSums from the same pass (the original geometry's coverage).
 */
function brickTerms<T extends Uint8Array | Uint16Array>(
  input: AccelLayerInput,
  map: PreparedMap,
  cPad: number,
  table: T,
  out: T,
  counts: Uint8Array | null,
): { terms: number; zeroUses: number } {
  const { C, H, W, pad, Kh, Kw, stride } = input.geometry;
  const { s, colPos, colChannel } = map;
  const Nw2 = map.p.Nw;
  const Oh = Math.floor((H + 2 * pad - Kh) / stride) + 1;
  const Ow = Math.floor((W + 2 * pad - Kw) / stride) + 1;
  const rowUses = new Int32Array(H + 2 * pad);
  const colUses = new Int32Array(W + 2 * pad);
  for (let o = 0; o < Oh; o++) for (let i = 0; i < Kh; i++) rowUses[stride * o + i]++;
  for (let o = 0; o < Ow; o++) for (let j = 0; j < Kw; j++) colUses[stride * o + j]++;
  const values = input.act;
  let terms = 0;
  let nonZeroUses = 0;
  for (let c = 0; c < C; c++)
    for (let h = 0; h < H; h++) {
      const src = (c * H + h) * W;
      const row = Math.floor((h + pad) / s) * Nw2;
      const channel = ((h + pad) % s) * C + c;
      let rowTerms = 0;
      let rowNonZeros = 0;
      for (let w = 0; w < W; w++) {
        const m = Math.abs(values[src + w]);
        if (m > MAX_MAGNITUDE)
          throw termRangeError(values[src + w], (c * (H + 2 * pad) + h + pad) * (W + 2 * pad) + w + pad);
        out[(row + colPos[w + pad]) * cPad + channel + colChannel[w + pad]] = table[m];
        if (counts) {
          // Branch-free on the data (zeros and signs are data-random).
          const t = counts[m];
          rowTerms += t * colUses[w + pad];
          rowNonZeros += Math.min(t, 1) * colUses[w + pad];
        }
      }
      terms += rowUses[h + pad] * rowTerms;
      nonZeroUses += rowUses[h + pad] * rowNonZeros;
    }
  // Every use of a padding position is a zero use: zero uses = all uses − uses of non-zero activations.
  return { terms, zeroUses: C * Oh * Kh * Ow * Kw - nonZeroUses };
}

/**
 * preparedTerms of the term masks together with the exact Σ_MACs T(a) and the number of MACs with a zero
 * activation, on the original geometry (§1.8: no transform; a padded position read by u windows and kernel
 * offsets counts u times), in one pass over the input.
 */
export function preparedMasksAndSums(
  input: AccelLayerInput,
  spaceToDepth: boolean,
  lanes: number,
  maskTable: Uint16Array,
  countTable: Uint8Array,
): { p: PreparedShape; cPad: number; terms: Uint16Array; sums: { terms: number; zeroUses: number } } {
  const map = preparedMap(input, spaceToDepth);
  const { p } = map;
  const cPad = Math.ceil(p.C / lanes) * lanes;
  const masks = new Uint16Array(p.Nh * p.Nw * cPad);
  const sums = brickTerms(input, map, cPad, maskTable, masks, countTable);
  return { p, cPad, terms: masks, sums };
}
