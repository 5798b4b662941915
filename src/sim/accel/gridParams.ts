import { cdiv } from '../types';
import { needsSpaceToDepth, spaceToDepthWeights, type PreparedLayer } from './grid';
import type { AccelLayerInput, ParamSpec, ParamValue, Params } from './types';

/** The grid-family parameters of accelerators.md §0.4 (defaults §1.6). */
export interface GridConfig {
  lanes: number;
  columns: number;
  rows: number;
  tiles: number;
  spaceToDepth: boolean;
  /** 0 = the layer's own network width (16, or 8 with tensorflow_8b). */
  wb: number;
}

export function gridParamSpecs(withColumns: boolean): ParamSpec[] {
  const specs: ParamSpec[] = [
    {
      name: 'lanes',
      type: 'int',
      default: 16,
      min: 1,
      max: 256,
      description: 'Channels per brick (lanes per PE)',
    },
  ];
  if (withColumns)
    specs.push({
      name: 'columns',
      type: 'int',
      default: 16,
      min: 1,
      max: 256,
      description: 'Windows in flight per tile',
    });
  specs.push(
    { name: 'rows', type: 'int', default: 16, min: 1, max: 256, description: 'Filters per tile' },
    {
      name: 'tiles',
      type: 'int',
      default: 16,
      min: 1,
      max: 256,
      description: 'Tiles (filter blocks in parallel)',
    },
    {
      name: 'firstLayerSpaceToDepth',
      type: 'boolean',
      default: true,
      description: 'Space-to-depth transform of a first conv with 3 channels and stride > 1 (§1.4)',
    },
    {
      name: 'wb',
      type: 'int',
      default: 0,
      min: 0,
      max: 32,
      description: 'Network width Wb for potentials; 0 = from the quantisation (16, or 8 with tensorflow_8b)',
    },
  );
  return specs;
}

function asNumber(name: string, v: ParamValue | undefined): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw new RangeError(`parameter ${name} must be a number, got ${String(v)}`);
  return n;
}

export function intParam(params: Params, name: string, min = 1): number {
  const n = asNumber(name, params[name]);
  if (!Number.isInteger(n) || n < min)
    throw new RangeError(`parameter ${name} must be an integer >= ${min}, got ${n}`);
  return n;
}

export function numberParam(params: Params, name: string): number {
  return asNumber(name, params[name]);
}

export function boolParam(params: Params, name: string): boolean {
  const v = params[name];
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 1) return true;
  if (v === 'false' || v === 0) return false;
  throw new RangeError(`parameter ${name} must be true or false, got ${String(v)}`);
}

export function enumParam<T extends string>(params: Params, name: string, options: readonly T[]): T {
  const v = params[name];
  if (typeof v === 'string' && (options as readonly string[]).includes(v)) return v as T;
  throw new RangeError(`parameter ${name} must be one of ${options.join(', ')}, got ${String(v)}`);
}

/** Reads the grid parameters (params already filled with defaults); DaDN has a single column. */
export function readGrid(params: Params): GridConfig {
  return {
    lanes: intParam(params, 'lanes'),
    columns: params.columns === undefined ? 1 : intParam(params, 'columns'),
    rows: intParam(params, 'rows'),
    tiles: intParam(params, 'tiles'),
    spaceToDepth: boolParam(params, 'firstLayerSpaceToDepth'),
    wb: intParam(params, 'wb', 0),
  };
}

export function networkWidth(input: AccelLayerInput, grid: GridConfig): number {
  return grid.wb > 0 ? grid.wb : input.wb;
}

/** Layer geometry as the grid sees it: padded, after §1.4 when it applies. No tensor is touched. */
export interface GridGeometry {
  C: number;
  K: number;
  Kh: number;
  Kw: number;
  Oh: number;
  Ow: number;
  transformed: boolean;
}

export function gridGeometry(input: AccelLayerInput, spaceToDepth: boolean): GridGeometry {
  const g = input.geometry;
  const Oh = Math.floor((g.H + 2 * g.pad - g.Kh) / g.stride) + 1;
  const Ow = Math.floor((g.W + 2 * g.pad - g.Kw) / g.stride) + 1;
  if (!needsSpaceToDepth(input, spaceToDepth))
    return { C: g.C, K: g.K, Kh: g.Kh, Kw: g.Kw, Oh, Ow, transformed: false };
  const s = g.stride;
  return { C: g.C * s * s, K: g.K, Kh: cdiv(g.Kh, s), Kw: cdiv(g.Kw, s), Oh, Ow, transformed: true };
}

/** DaDN cycles (§3) for a grid of `lanes` x `rows` x `tiles`; FC geometry has Oh = Ow = Kh = Kw = 1. */
export function dadnGridCycles(g: GridGeometry, grid: Pick<GridConfig, 'lanes' | 'rows' | 'tiles'>): number {
  return g.Oh * g.Ow * g.Kh * g.Kw * cdiv(g.C, grid.lanes) * cdiv(g.K, grid.rows * grid.tiles);
}

/**
 * Which (c2, i2, j2) kernel slots of a §1.4-transformed layer hold an original weight (the others are the
 * zero slots the transform adds). Null when the layer is not transformed (every slot is real).
 */
export function realSlots(input: AccelLayerInput, g: GridGeometry): Uint8Array | null {
  if (!g.transformed) return null;
  const { C, Kh, Kw, stride: s } = input.geometry;
  const out = new Uint8Array(g.C * g.Kh * g.Kw);
  for (let c2 = 0; c2 < g.C; c2++) {
    const pw = Math.floor(c2 / (s * C));
    const ph = Math.floor(c2 / C) % s;
    for (let i2 = 0; i2 < g.Kh; i2++)
      for (let j2 = 0; j2 < g.Kw; j2++)
        if (s * i2 + ph < Kh && s * j2 + pw < Kw) out[(c2 * g.Kh + i2) * g.Kw + j2] = 1;
  }
  return out;
}

/** A prepared layer (§1.3 padding, §1.4 when it applies) without its padded activation tensor. */
export type PreparedShape = Omit<PreparedLayer, 'act'>;

/**
 * The prepared layer's shape and where each activation of the unpadded input lands in it, so that the
 * models read the input directly (no padded or transformed copy). Channel c at padded position (h, w) is
 * prepared channel (w mod s)·s·C + (h mod s)·C + c at (⌊h/s⌋, ⌊w/s⌋): §1.4 with s = stride exactly as in
 * grid.ts prepareLayer, and the identity (s = 1) when §1.4 does not apply.
 */
export interface PreparedMap {
  p: PreparedShape;
  s: number;
  /** Per padded column w: the prepared column ⌊w/s⌋ and the channel offset (w mod s)·s·C. */
  colPos: Int32Array;
  colChannel: Int32Array;
}

export function preparedMap(input: AccelLayerInput, spaceToDepth: boolean): PreparedMap {
  const g = input.geometry;
  const Nh = g.H + 2 * g.pad;
  const Nw = g.W + 2 * g.pad;
  const Oh = Math.floor((Nh - g.Kh) / g.stride) + 1;
  const Ow = Math.floor((Nw - g.Kw) / g.stride) + 1;
  const transformed = needsSpaceToDepth(input, spaceToDepth);
  const s = transformed ? g.stride : 1;
  const p = transformed
    ? shape(
        g.C * s * s,
        cdiv(Nh, s),
        cdiv(Nw, s),
        g.K,
        cdiv(g.Kh, s),
        cdiv(g.Kw, s),
        1,
        Oh,
        Ow,
        spaceToDepthWeights(input),
        true,
      )
    : shape(g.C, Nh, Nw, g.K, g.Kh, g.Kw, g.stride, Oh, Ow, input.wgt, false);
  const colPos = new Int32Array(Nw);
  const colChannel = new Int32Array(Nw);
  for (let w = 0; w < Nw; w++) {
    colPos[w] = Math.floor(w / s);
    colChannel[w] = (w % s) * s * g.C;
  }
  return { p, s, colPos, colChannel };
}

/** One object layout for every PreparedShape, so that the models' loops see a single hidden class. */
function shape(
  C: number,
  Nh: number,
  Nw: number,
  K: number,
  Kh: number,
  Kw: number,
  stride: number,
  Oh: number,
  Ow: number,
  wgt: Int32Array,
  transformed: boolean,
): PreparedShape {
  return { C, Nh, Nw, K, Kh, Kw, stride, Oh, Ow, wgt, transformed };
}
