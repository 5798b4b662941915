import { describe, expect, it } from 'vitest';
import { reluThreshold, thresholdedRelu } from '../../../src/sim/quant/threshold';

describe('DLAC activation threshold (§12)', () => {
  it('y = x > θ ? x : 0 (θ = 0 is ReLU, x == θ gives 0)', () => {
    expect(Array.from(thresholdedRelu([-1, 0, 0.5, 1, 2], 0))).toEqual([0, 0, 0.5, 1, 2]);
    expect(Array.from(thresholdedRelu([-1, 0, 0.5, 1, 2], 1))).toEqual([0, 0, 0, 0, 2]);
    expect(() => thresholdedRelu([1], -0.1)).toThrow();
  });

  it('θ from the configuration: disabled, absolute, relative to the population std', () => {
    const pre = [1, -1, 3, -3]; // σ = √5
    expect(reluThreshold(pre, { enabled: false, mode: 'absolute', theta: 2 })).toBe(0);
    expect(reluThreshold(pre, { enabled: true, mode: 'absolute', theta: 2 })).toBe(2);
    expect(reluThreshold(pre, { enabled: true, mode: 'relative', theta: 0.5 })).toBeCloseTo(
      0.5 * Math.sqrt(5),
      12,
    );
  });
});
