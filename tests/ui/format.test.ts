import { describe, expect, it } from 'vitest';
import { fmtCount, fmtX, logTicks, speedupFormula } from '../../src/ui/lib/format';

describe('formatting', () => {
  it('spells out the speedup formula with the live values', () => {
    expect(speedupFormula(14112, 5032, 14112 / 5032)).toBe(
      'speedup = baseline cycles / cycles = 14,112 / 5,032 = 2.80×',
    );
    expect(fmtCount(1234.56)).toBe('1,234.6');
    expect(fmtX(0.0712)).toBe('0.07×');
    expect(fmtX(512.4)).toBe('512×');
  });

  it('log ticks stay inside the domain, include 1 when it is in range, and are few', () => {
    for (const [lo, hi] of [
      [0.05, 3],
      [0.7, 1.4],
      [0.01, 500],
      [2, 90],
      [1e3, 1e7],
    ] as Array<[number, number]>) {
      const ticks = logTicks([lo, hi], 3);
      expect(ticks.length).toBeGreaterThan(0);
      expect(ticks.length).toBeLessThanOrEqual(4);
      for (const t of ticks) expect(t >= lo && t <= hi).toBe(true);
      if (lo <= 1 && hi >= 1) expect(ticks).toContain(1);
    }
    expect(logTicks([0.7, 1.4])).toEqual([1]);
  });
});
