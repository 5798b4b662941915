import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntList, TupleIds } from '../../../src/sim/accel/intBuffers';

describe('IntList', () => {
  it('keeps every pushed value in order across growth', () => {
    const list = new IntList();
    for (let i = 0; i < 1000; i++) list.push(i * 7 - 3);
    expect(list.length).toBe(1000);
    expect(Array.from(list.data.subarray(0, 5))).toEqual([-3, 4, 11, 18, 25]);
    expect(list.data[999]).toBe(999 * 7 - 3);
    list.clear();
    list.push(5);
    expect([list.length, list.data[0]]).toEqual([1, 5]);
  });
});

describe('TupleIds', () => {
  it('gives equal tuples equal ids and distinct tuples distinct dense ids (against a string map)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 4 }), { maxLength: 600 }),
        (tuples) => {
          const ids = new TupleIds();
          const naive = new Map<string, number>();
          for (const t of tuples) {
            // Embedded at an offset, to exercise `from`.
            const data = Int32Array.from([9, ...t]);
            const expected = naive.get(t.join(',')) ?? naive.size;
            naive.set(t.join(','), expected);
            expect(ids.idOf(data, t.length, 1)).toBe(expected);
          }
          expect(ids.size).toBe(naive.size);
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });
});
