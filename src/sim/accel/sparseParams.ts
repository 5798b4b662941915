/**
 * Parameter reading and small operand statistics shared by the value-sparsity models (Cnvlutin, SCNN, EIE,
 * DLAC): they only ask whether a value is zero (accelerators.md §1.2), so everything here works on 0/1 masks.
 */
import type { AccelLayerInput, ParamSpec, Params } from './types';

function spec(specs: readonly ParamSpec[], name: string): ParamSpec {
  const s = specs.find((p) => p.name === name);
  if (!s) throw new Error(`unknown parameter ${name}`);
  return s;
}

/** Reads an integer parameter (default from the spec list), range-checked against the spec's min/max. */
export function readInt(specs: readonly ParamSpec[], params: Params, name: string): number {
  const s = spec(specs, name);
  const raw = params[name] ?? s.default;
  const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new RangeError(`parameter ${name} must be an integer, got ${String(raw)}`);
  if ((s.min !== undefined && v < s.min) || (s.max !== undefined && v > s.max))
    throw new RangeError(`parameter ${name} must lie in ${s.min ?? '-inf'}..${s.max ?? 'inf'}, got ${v}`);
  return v;
}

export function readNumber(specs: readonly ParamSpec[], params: Params, name: string): number {
  const s = spec(specs, name);
  const raw = params[name] ?? s.default;
  const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new RangeError(`parameter ${name} must be a number, got ${String(raw)}`);
  if ((s.min !== undefined && v < s.min) || (s.max !== undefined && v > s.max))
    throw new RangeError(`parameter ${name} must lie in ${s.min ?? '-inf'}..${s.max ?? 'inf'}, got ${v}`);
  return v;
}

export function readBool(specs: readonly ParamSpec[], params: Params, name: string): boolean {
  const raw = params[name] ?? spec(specs, name).default;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (typeof raw !== 'boolean')
    throw new RangeError(`parameter ${name} must be a boolean, got ${String(raw)}`);
  return raw;
}

export function readEnum<T extends string>(specs: readonly ParamSpec[], params: Params, name: string): T {
  const s = spec(specs, name);
  const raw = params[name] ?? s.default;
  if (typeof raw !== 'string' || !(s.options ?? []).includes(raw))
    throw new RangeError(
      `parameter ${name} must be one of ${(s.options ?? []).join(', ')}, got ${String(raw)}`,
    );
  return raw as T;
}

/** 1 where |v| > threshold (threshold 0: v != 0). */
export function nonZeroMask(values: Int32Array, threshold = 0): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v > threshold || v < -threshold ? 1 : 0;
  }
  return out;
}

/** Geometry of the zero-padded layer in the original coordinates (no §1.4 transform). */
export interface PaddedShape {
  C: number;
  Nh: number;
  Nw: number;
  K: number;
  Kh: number;
  Kw: number;
  stride: number;
  Oh: number;
  Ow: number;
}

export function paddedShape(input: AccelLayerInput): PaddedShape {
  const g = input.geometry;
  const Nh = g.H + 2 * g.pad;
  const Nw = g.W + 2 * g.pad;
  return {
    C: g.C,
    Nh,
    Nw,
    K: g.K,
    Kh: g.Kh,
    Kw: g.Kw,
    stride: g.stride,
    Oh: Math.floor((Nh - g.Kh) / g.stride) + 1,
    Ow: Math.floor((Nw - g.Kw) / g.stride) + 1,
  };
}

/**
 * Number of MACs of the original layer whose activation (padded, [C][Nh][Nw] mask) and weight
 * ([K][C][Kh][Kw] mask) are both non-zero: Σ_{c,i,j} (non-zero windows at (c,i,j)) · (non-zero filters at (c,i,j)).
 */
export function bothNonZeroMacs(shape: PaddedShape, actMask: Uint8Array, wgtMask: Uint8Array): number {
  const taps = shape.C * shape.Kh * shape.Kw;
  const filterCount = new Int32Array(taps);
  for (let k = 0; k < shape.K; k++) for (let t = 0; t < taps; t++) filterCount[t] += wgtMask[k * taps + t];
  return bothNonZeroMacsByTap(shape, actMask, filterCount);
}

/** As bothNonZeroMacs, from the number of non-zero filters at each tap (c, i, j). */
export function bothNonZeroMacsByTap(
  shape: PaddedShape,
  actMask: Uint8Array,
  filterCount: Int32Array,
): number {
  const windows = tapWindowCounts(shape, actMask);
  let total = 0;
  for (let t = 0; t < windows.length; t++) total += windows[t] * filterCount[t];
  return total;
}

/**
 * For every tap (c, i, j): the number of windows whose padded activation at that tap is non-zero, i.e.
 * Σ_{oh, ow} mask[c][s·oh + i][s·ow + j]. Rows h ≡ i (mod s) form a sub-grid; a 2-D prefix sum per channel
 * and residue pair turns each tap into one rectangle sum.
 */
export function tapWindowCounts(shape: PaddedShape, actMask: Uint8Array): Int32Array {
  const { C, Nh, Nw, Kh, Kw, stride: s, Oh, Ow } = shape;
  const out = new Int32Array(C * Kh * Kw);
  for (let c = 0; c < C; c++)
    for (let ph = 0; ph < Math.min(s, Kh); ph++)
      for (let pw = 0; pw < Math.min(s, Kw); pw++) {
        const rows = Math.ceil((Nh - ph) / s);
        const cols = Math.ceil((Nw - pw) / s);
        const P = new Int32Array((rows + 1) * (cols + 1));
        for (let m = 0; m < rows; m++) {
          let run = 0;
          const src = (c * Nh + s * m + ph) * Nw + pw;
          for (let n = 0; n < cols; n++) {
            run += actMask[src + s * n];
            P[(m + 1) * (cols + 1) + n + 1] = P[m * (cols + 1) + n + 1] + run;
          }
        }
        for (let i = ph; i < Kh; i += s)
          for (let j = pw; j < Kw; j += s) {
            const m0 = (i - ph) / s;
            const n0 = (j - pw) / s;
            const m1 = m0 + Oh;
            const n1 = n0 + Ow;
            out[(c * Kh + i) * Kw + j] =
              P[m1 * (cols + 1) + n1] -
              P[m0 * (cols + 1) + n1] -
              P[m1 * (cols + 1) + n0] +
              P[m0 * (cols + 1) + n0];
          }
      }
  return out;
}
