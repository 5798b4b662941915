import { selectFirstRanked, absValues } from './ranking';
import { maxAbs } from './stats';
import { denseBits, ttqBits } from './storage';
import { detectTernary } from './ternaryDetect';
import { checkShape } from './tensor';
import type { QuantizedTensor } from './types';

/** TTQ default threshold factor t (czhu95/ternarynet `tw_ternarize`) [reference-code-read]. */
export const TTQ_DEFAULT_T = 0.05;

/** Learned scales of one layer as imported from the JSON sidecar `{ "<layer>": { wp, wn, t? } }`. */
export interface TtqLayerScales {
  wp: number;
  wn: number;
  t?: number;
}
export type TtqScales = Record<string, TtqLayerScales>;

/** Validates a parsed sidecar; throws with the offending layer so a bad file is reported, not half-used. */
export function parseTtqSidecar(json: unknown): TtqScales {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error('TTQ sidecar must be an object');
  const out: TtqScales = {};
  for (const [layer, entry] of Object.entries(json as Record<string, unknown>)) {
    const e = entry as Record<string, unknown> | null;
    const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
    if (typeof e !== 'object' || e === null || !ok(e.wp) || !ok(e.wn) || (e.t !== undefined && !ok(e.t))) {
      throw new Error(
        `TTQ sidecar entry for layer "${layer}" needs non-negative numbers wp, wn (and optional t)`,
      );
    }
    out[layer] = {
      wp: e.wp as number,
      wn: e.wn as number,
      ...(e.t !== undefined ? { t: e.t as number } : {}),
    };
  }
  return out;
}

/** Δ = t·max|w| with strict comparisons; |w| == Δ maps to 0 (the reference's ±1 there is measure-zero). */
export function ttqCodes(w: ArrayLike<number>, t: number): { codes: Int32Array; delta: number } {
  const delta = t * maxAbs(w);
  const codes = new Int32Array(w.length);
  for (let i = 0; i < w.length; i++) codes[i] = w[i] > delta ? 1 : w[i] < -delta ? -1 : 0;
  return { codes, delta };
}

/** Least-squares Wp, Wn for a fixed assignment: the means of each side; an empty side gets 0. */
export function ttqFitScales(w: ArrayLike<number>, codes: Int32Array): { wp: number; wn: number } {
  let sp = 0;
  let np = 0;
  let sn = 0;
  let nn = 0;
  for (let i = 0; i < w.length; i++) {
    if (codes[i] > 0) {
      sp += w[i];
      np++;
    } else if (codes[i] < 0) {
      sn += -w[i];
      nn++;
    }
  }
  return { wp: np > 0 ? sp / np : 0, wn: nn > 0 ? sn / nn : 0 };
}

function ternaryRecord(
  shape: number[],
  codes: Int32Array,
  wp: number,
  wn: number,
  meta: QuantizedTensor['meta'],
): QuantizedTensor {
  const values = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) values[i] = codes[i] > 0 ? wp : codes[i] < 0 ? -wn : 0;
  return {
    scheme: 'ttq',
    shape: [...shape],
    codes,
    values,
    precision: 2,
    storageBits: ttqBits(codes.length),
    meta: { wp, wn, ...meta },
  };
}

/**
 * Trained Ternary Quantization, quantization.md §7, in order of preference: a tensor that is already
 * ternary keeps its exact codes and levels; else the sidecar's learned scales; else the post-training fit.
 */
export function quantizeTtq(
  w: ArrayLike<number>,
  shape: number[],
  opts: { t?: number; scales?: TtqLayerScales; detect?: boolean } = {},
): QuantizedTensor {
  checkShape(w, shape);
  if (opts.detect ?? true) {
    const found = detectTernary(w);
    if (found) {
      return ternaryRecord(shape, found.codes, found.wp, found.wn, {
        detected: 'exact',
        detectedAs: found.kind,
        source: 'model',
      });
    }
  }
  const t = opts.scales?.t ?? opts.t ?? TTQ_DEFAULT_T;
  const { codes, delta } = ttqCodes(w, t);
  if (opts.scales) {
    return ternaryRecord(shape, codes, opts.scales.wp, opts.scales.wn, { t, delta, source: 'sidecar' });
  }
  const { wp, wn } = ttqFitScales(w, codes);
  return ternaryRecord(shape, codes, wp, wn, { t, delta, source: 'post-training fit' });
}

/**
 * TTQ `p_ternarize`, quantization.md §7: keep k = floor(n·(1 − p)) weights as ±1, no scales. tanh is
 * monotone, so the default keeps exactly the k largest |w| (ties by index). `referenceQuirk` reproduces the
 * reference's strict comparison against the k-th largest |tanh(w)|, which drops that weight and its ties.
 */
export function quantizeTtqFixedSparsity(
  w: ArrayLike<number>,
  shape: number[],
  opts: { p?: number; referenceQuirk?: boolean } = {},
): QuantizedTensor {
  checkShape(w, shape);
  const p = opts.p ?? 0.5;
  if (!(p >= 0 && p < 1)) throw new Error(`fixed-sparsity TTQ needs 0 <= p < 1, got ${p}`);
  const n = w.length;
  const k = Math.floor(n * (1 - p));
  const codes = new Int32Array(n);
  let threshold = 0;
  if (opts.referenceQuirk) {
    const mags = new Float64Array(n);
    for (let i = 0; i < n; i++) mags[i] = Math.abs(Math.tanh(w[i]));
    if (k > 0) {
      threshold = Float64Array.from(mags).sort()[n - k];
      for (let i = 0; i < n; i++) if (mags[i] > threshold) codes[i] = w[i] > 0 ? 1 : -1;
    }
  } else {
    const keep = selectFirstRanked(absValues(w), k, 'descending');
    for (let i = 0; i < n; i++) if (keep[i]) codes[i] = w[i] > 0 ? 1 : w[i] < 0 ? -1 : 0;
  }
  const values = Float32Array.from(codes);
  return {
    scheme: 'ttqFixedSparsity',
    shape: [...shape],
    codes,
    values,
    precision: 2,
    // No scales to store: 2-bit codes only (§15 has no row for this format).
    storageBits: denseBits(n, 2),
    meta: {
      p,
      k,
      mode: opts.referenceQuirk ? 'referenceQuirk' : 'exact',
      ...(opts.referenceQuirk ? { threshold } : {}),
    },
  };
}
