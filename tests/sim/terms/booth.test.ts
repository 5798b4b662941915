import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MASK_TABLE,
  MAX_MAGNITUDE,
  T_TABLE,
  binaryDigits,
  nafDigits,
  popcount,
  termCount,
  termCountStats,
  termDigits,
  termMaskTable,
  TERM_ENCODINGS,
  type TermEncoding,
} from '../../../src/sim/terms';
import { target } from './validation';

/**
 * Independent recoder written from the reference's description (a 3-character window slides over the
 * 18-character bit string of m·4, emitting into a shift register), to compare masks over all magnitudes.
 */
function windowStringMask(m: number): number {
  let bits = (m * 4).toString(2).padStart(18, '0');
  let mask = 0;
  let run = false;
  for (let k = 0; k < 16; k++) {
    const w = bits.slice(0, 3);
    mask *= 2;
    if (w === '000' || w === '001') {
      if (run) throw new Error('run cannot contain two zeros');
    } else if (w === '010' || w === '011') {
      if (run) mask += 1;
    } else if (w === '100') {
      mask += 1;
      run = false;
    } else if (w === '101' || w === '110') {
      if (!run) mask += 1;
    } else if (!run) {
      mask += 2;
      run = true;
    }
    bits = bits.slice(1);
  }
  return mask;
}

const value = (digits: Array<{ pos: number; sign: number }>) =>
  digits.reduce((s, d) => s + d.sign * 2 ** d.pos, 0);

describe('term encodings against validation.json', () => {
  it('booth.termCounts', () => {
    const t = target<{ magnitudes: number[] }, Record<TermEncoding, number[]>>('booth.termCounts');
    for (const enc of TERM_ENCODINGS) {
      expect(
        t.inputs.magnitudes.map((m) => termCount(m, enc)),
        enc,
      ).toEqual(t.expected[enc]);
    }
  });

  it('booth.digits.worked', () => {
    const t = target<
      { magnitudes: number[] },
      Record<string, { digits: [number, number][]; mask: number; T: number }>
    >('booth.digits.worked');
    for (const m of t.inputs.magnitudes) {
      const e = t.expected[String(m)];
      expect(termDigits(m, 'boothLike').map((d) => [d.pos, d.sign])).toEqual(e.digits);
      expect(MASK_TABLE[m]).toBe(e.mask);
      expect(T_TABLE[m]).toBe(e.T);
      expect(termDigits(-m, 'boothLike')).toEqual(termDigits(m, 'boothLike'));
    }
  });

  it('booth.stats (sums and maxima exact, means within 5e-5)', () => {
    type Stat = { sum: number; mean: number; max: number; argmax?: number[]; argmaxCount?: number };
    const t = target<{ ranges: string[] }, Record<string, Record<TermEncoding, Stat>>>('booth.stats');
    for (const range of t.inputs.ranges) {
      const [lo, hi] = range.split('..').map(Number);
      for (const enc of TERM_ENCODINGS) {
        const e = t.expected[range][enc];
        const s = termCountStats(lo, hi, enc);
        expect(s.sum, `${range} ${enc}`).toBe(e.sum);
        expect(s.max).toBe(e.max);
        expect(Math.abs(s.mean - e.mean)).toBeLessThanOrEqual(5e-5);
        if (e.argmax) {
          expect(s.argmax.length).toBe(e.argmaxCount);
          expect(s.argmax.slice(0, e.argmax.length)).toEqual(e.argmax);
        }
      }
    }
  });
});

describe('all 32768 magnitudes', () => {
  it('booth-like digits reconstruct m; table, mask and the window-string recoder agree', () => {
    let mismatches = 0;
    for (let m = 0; m <= MAX_MAGNITUDE; m++) {
      const digits = termDigits(m, 'boothLike');
      const mask = digits.reduce((s, d) => s | (1 << d.pos), 0);
      if (value(digits) !== m || T_TABLE[m] !== digits.length || MASK_TABLE[m] !== mask) mismatches++;
      if (popcount(mask) !== digits.length || windowStringMask(m) !== mask) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('NAF is minimal and non-adjacent; NAF ≤ booth-like ≤ popcount; binary digits are the bits', () => {
    let bad = 0;
    const nafMasks = termMaskTable('naf');
    for (let m = 0; m <= MAX_MAGNITUDE; m++) {
      const naf = nafDigits(m);
      const positions = naf.map((d) => d.pos);
      if (value(naf) !== m) bad++;
      for (let k = 1; k < positions.length; k++) if (positions[k - 1] - positions[k] < 2) bad++;
      if (nafMasks[m] !== positions.reduce((s, p) => s | (1 << p), 0)) bad++;
      if (!(
        termCount(m, 'naf') <= termCount(m, 'boothLike') &&
        termCount(m, 'boothLike') <= termCount(m, 'popcount')
      ))
        bad++;
      if (value(binaryDigits(m)) !== m || binaryDigits(m).length !== popcount(m)) bad++;
      if (termMaskTable('popcount')[m] !== m) bad++;
    }
    expect(bad).toBe(0);
  });

  it('property: booth-like never exceeds popcount and the sign is free', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_MAGNITUDE, max: MAX_MAGNITUDE }), (v) => {
        const m = Math.abs(v);
        expect(termCount(v, 'boothLike')).toBeLessThanOrEqual(popcount(m));
        expect(termCount(v, 'naf')).toBeLessThanOrEqual(termCount(v, 'boothLike'));
        for (const enc of TERM_ENCODINGS) expect(value(termDigits(v, enc))).toBe(m);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('rejects magnitudes beyond 16-bit signed', () => {
    expect(() => termCount(32768)).toThrow(RangeError);
    expect(() => termDigits(1.5, 'naf')).toThrow(RangeError);
    expect(termCount(-32767)).toBe(2);
  });
});
