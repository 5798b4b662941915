import { describe, expect, it } from 'vitest';
import { quantizeBinary } from '../../../src/sim/quant/binary';
import { target } from './helpers';

const micro = target('quant.micro');
const x = micro.inputs.x as number[];

describe('BWN (§8)', () => {
  it('matches quant.micro bwn (0 maps to +1)', () => {
    const q = quantizeBinary(x, [x.length]);
    expect(Array.from(q.codes)).toEqual(micro.expected.bwn.codes);
    expect(Math.abs((q.meta.alpha as number) - micro.expected.bwn.alpha)).toBeLessThan(
      micro.tolerance.value as number,
    );
    expect(q.precision).toBe(1);
    expect(q.storageBits).toBe(8 + 32);
    q.values.forEach((v, i) => expect(v).toBe(Math.fround((q.meta.alpha as number) * q.codes[i])));
  });

  it('per filter: α is the mean |w| of each output filter', () => {
    const q = quantizeBinary([1, -3, 0.5, -0.25], [2, 2], { granularity: 'filter' });
    expect(q.meta.alphas).toEqual([2, 0.375]);
    expect(Array.from(q.values)).toEqual([2, -2, 0.375, -0.375]);
    expect(q.storageBits).toBe(4 + 64);
  });
});
