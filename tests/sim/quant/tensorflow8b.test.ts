import { describe, expect, it } from 'vitest';
import { quantizeTensorflow8b, tensorflow8bCodes } from '../../../src/sim/quant/tensorflow8b';
import { target } from './helpers';

describe('DNNsim tensorflow_8b (§4)', () => {
  const t = target('quant.tensorflow8b');

  it('matches the unsigned and signed validation cases', () => {
    const u = tensorflow8bCodes(Float32Array.from(t.inputs.unsignedTensor as number[]));
    expect(Array.from(u.codes)).toEqual(t.expected.unsignedCodes);
    expect(u.unsigned).toBe(true);
    const s = tensorflow8bCodes(Float32Array.from(t.inputs.signedTensor as number[]));
    expect(Array.from(s.codes)).toEqual(t.expected.signedCodes);
    expect(s.unsigned).toBe(false);
  });

  it('computes the scale in float32', () => {
    const x = Float32Array.from([0, 0.1, 0.3]);
    expect(tensorflow8bCodes(x).scale).toBe(Math.fround(255 / Math.fround(0.3)));
    const y = Float32Array.from([-0.3, 0.1]);
    expect(tensorflow8bCodes(y).scale).toBe(Math.fround(254 / (2 * Math.fround(0.3))));
  });

  it('only an exact minimum of 0 selects the unsigned branch', () => {
    expect(tensorflow8bCodes([1e-9, 0.5, 1]).unsigned).toBe(false);
    expect(Array.from(tensorflow8bCodes([1e-9, 0.5, 1]).codes)).toEqual([0, 64, 127]);
  });

  it('an all-zero tensor gives zero codes', () => {
    const q = quantizeTensorflow8b([0, 0], [2]);
    expect(Array.from(q.codes)).toEqual([0, 0]);
    expect(Array.from(q.values)).toEqual([0, 0]);
  });

  it('weight record: P = 8, values = code / scale, storage 8n + 32', () => {
    const q = quantizeTensorflow8b([-1, 0.5, 0.25], [3]);
    expect(q.precision).toBe(8);
    expect(q.storageBits).toBe(56);
    expect(q.values[0]).toBeCloseTo(-1, 6);
    expect(q.values[1]).toBeCloseTo(64 / 127, 6);
  });
});
