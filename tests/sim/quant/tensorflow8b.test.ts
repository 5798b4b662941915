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

describe('tensorflow_8b on tiny tensors (the float32 scale would overflow; docs/robustness.md)', () => {
  const float32Max = (2 - 2 ** -23) * 2 ** 127;

  it('the scale stays at the largest float32 and the codes follow rha(x · scale)', () => {
    const x = Float32Array.from([-1e-37, 5e-38, 0, 2e-39]);
    const q = tensorflow8bCodes(x);
    expect(q.scale).toBe(float32Max);
    expect(q.unsigned).toBe(false);
    // fround(1e-37) · float32Max = 34.03…, fround(5e-38) · float32Max = 17.01…, 2e-39 · float32Max = 0.68
    expect(Array.from(q.codes)).toEqual([-34, 17, 0, 1]);
    const w = quantizeTensorflow8b(x, [4]);
    expect(w.meta.scale).toBe(float32Max);
    for (let i = 0; i < x.length; i++) expect(Number.isFinite(w.values[i])).toBe(true);
    expect(w.values[0] / x[0]).toBeCloseTo(34 / 34.028, 3);
  });

  it('the unsigned branch saturates the same way', () => {
    const q = tensorflow8bCodes(Float32Array.from([0, 1e-37, 3e-39]));
    expect(q.unsigned).toBe(true);
    expect(q.scale).toBe(float32Max);
    expect(Array.from(q.codes)).toEqual([0, 34, 1]);
  });

  it('subnormal tensors quantise to zero with a finite scale', () => {
    const x = Float32Array.from([1e-45, -1e-45, 1e-42]);
    const q = quantizeTensorflow8b(x, [3]);
    expect(Array.from(q.codes)).toEqual([0, 0, 0]);
    expect(Array.from(q.values)).toEqual([0, 0, 0]);
    expect(q.meta.scale).toBe(float32Max);
  });

  it('just above the overflow the spec rule applies unchanged; the codes do not jump at the boundary', () => {
    // 254 / fround(2m) reaches the float32 range for m ≥ 3.73e-37
    const m = Math.fround(4e-37);
    const q = tensorflow8bCodes(Float32Array.from([-m, m / 2]));
    expect(q.scale).toBe(Math.fround(254 / Math.fround(2 * m)));
    expect(q.scale).toBeLessThan(float32Max);
    expect(Array.from(q.codes)).toEqual([-127, 64]);
    const below = Math.fround(3.7e-37);
    const r = tensorflow8bCodes(Float32Array.from([-below, below / 2]));
    expect(r.scale).toBe(float32Max);
    expect(Array.from(r.codes)).toEqual([-126, 63]); // 3.7e-37 · float32Max = 125.9
  });
});
