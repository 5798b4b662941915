import { describe, expect, it } from 'vitest';
import {
  termCount,
  termCountsOf,
  termMasksOf,
  termMaskTable,
  totalTerms,
  TERM_ENCODINGS,
} from '../../../src/sim/terms';
import { mulberry32 } from '../../../src/sim/prng';

describe('tensor term helpers', () => {
  const rnd = mulberry32(7);
  const values = Int32Array.from({ length: 2000 }, () => Math.floor((rnd() * 2 - 1) * 32767));
  values[0] = 0;
  values[1] = -32767;

  it('match the scalar functions element by element', () => {
    for (const enc of TERM_ENCODINGS) {
      const counts = termCountsOf(values, enc);
      const masks = termMasksOf(values, enc);
      let sum = 0;
      for (let k = 0; k < values.length; k++) {
        expect(counts[k]).toBe(termCount(values[k], enc));
        expect(masks[k]).toBe(termMaskTable(enc)[Math.abs(values[k])]);
        sum += termCount(values[k], enc);
      }
      expect(totalTerms(values, enc)).toBe(sum);
    }
  });

  it('reject out-of-range operands', () => {
    expect(() => termCountsOf(Int32Array.of(1, 40000), 'boothLike')).toThrow(/index 1/);
    expect(() => termMasksOf(Int32Array.of(-32768), 'naf')).toThrow(RangeError);
  });
});
