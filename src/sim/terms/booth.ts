/**
 * DNNsim's booth-like recoder (accelerators.md §2.2), ported state for state. It is deliberately neither
 * radix-4 Booth nor NAF: reproducing DNNsim bit-exactly is the point, so do not "optimise" it.
 */

export interface TermDigit {
  /** Power of two of the term. */
  pos: number;
  sign: 1 | -1;
}

/** Largest magnitude any term encoder accepts (16-bit signed fixed point). */
export const MAX_MAGNITUDE = 32767;

export function assertMagnitude(m: number): void {
  if (!Number.isInteger(m) || m < 0 || m > MAX_MAGNITUDE) {
    throw new RangeError(`term encoders take integer magnitudes 0..${MAX_MAGNITUDE}, got ${m}`);
  }
}

/** Signed power-of-two digits of magnitude `m`, most significant first. */
export function boothLikeDigits(m: number): TermDigit[] {
  assertMagnitude(m);
  const bit = (q: number) => (q < 0 ? 0 : (m >>> q) & 1);
  const out: TermDigit[] = [];
  let inRun = false;
  for (let q = 15; q >= 0; q--) {
    const b0 = bit(q);
    const b1 = bit(q - 1);
    const b2 = bit(q - 2);
    if (!inRun) {
      if (b0 === 1 && b1 === 1 && b2 === 1) {
        out.push({ pos: q + 1, sign: 1 });
        inRun = true;
      } else if (b0 === 1) out.push({ pos: q, sign: 1 });
    } else if (b0 === 0 && b1 === 1) out.push({ pos: q, sign: -1 });
    else if (b0 === 1 && b1 === 0 && b2 === 0) {
      out.push({ pos: q, sign: -1 });
      inRun = false;
    } else if (b0 === 0) throw new Error('booth-like recoder reached an unreachable window');
  }
  return out;
}

function buildTables(): { counts: Uint8Array; masks: Uint16Array } {
  const counts = new Uint8Array(MAX_MAGNITUDE + 1);
  const masks = new Uint16Array(MAX_MAGNITUDE + 1);
  for (let m = 0; m <= MAX_MAGNITUDE; m++) {
    const digits = boothLikeDigits(m);
    let mask = 0;
    for (const d of digits) mask |= 1 << d.pos;
    counts[m] = digits.length;
    masks[m] = mask;
  }
  return { counts, masks };
}

const tables = buildTables();

/** T(m): booth-like term count of every magnitude 0..32767. */
export const T_TABLE: Uint8Array = tables.counts;
/** Term positions of every magnitude as a bit mask (bit p set = a ±2^p term). */
export const MASK_TABLE: Uint16Array = tables.masks;
