/** What an exported tensor with at most the values {−a, 0, +b} was trained as. */
export type DetectedTernaryKind = 'ttq' | 'twn' | 'binary' | 'zero';

export interface DetectedTernary {
  kind: DetectedTernaryKind;
  codes: Int32Array;
  /** Positive level b (0 if no positive value). */
  wp: number;
  /** Magnitude a of the negative level (0 if no negative value). */
  wn: number;
}

/**
 * Recognises weights that are already ternary (quantization.md §7): at most one negative value −a, zero and
 * one positive value b, compared exactly — a TTQ or TWN export holds the scaled ternary values, so any
 * tolerance would only admit tensors that are not ternary. Also matches TWN ({−α, 0, α}) and binary
 * ({−α, +α}) exports. Returns null for anything else.
 */
export function detectTernary(w: ArrayLike<number>): DetectedTernary | null {
  let neg = 0;
  let pos = 0;
  let hasZero = false;
  for (let i = 0; i < w.length; i++) {
    const v = w[i];
    if (v === 0) hasZero = true;
    else if (v < 0) {
      if (neg === 0) neg = v;
      else if (v !== neg) return null;
    } else if (v > 0) {
      if (pos === 0) pos = v;
      else if (v !== pos) return null;
    } else return null; // NaN
  }
  const codes = new Int32Array(w.length);
  for (let i = 0; i < w.length; i++) codes[i] = w[i] > 0 ? 1 : w[i] < 0 ? -1 : 0;
  const wp = pos;
  const wn = -neg;
  let kind: DetectedTernaryKind = 'ttq';
  if (wp === 0 && wn === 0) kind = 'zero';
  else if (wp === wn) kind = hasZero ? 'twn' : 'binary';
  return { kind, codes, wp, wn };
}
