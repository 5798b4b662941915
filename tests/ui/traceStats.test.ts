import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { meanOccupancy, traceStats, unitLayout } from '../../src/ui/lib/traceStats';
import type { TileTrace } from '../../src/sim/accel/types';

function makeTrace(peRows: number, peCols: number, U: number, T: number, states: number[]): TileTrace {
  return {
    model: 'laconic',
    layer: 'x',
    filterBlock: 0,
    windowBlock: 0,
    peRows,
    peCols,
    unitsPerPE: U,
    cycles: T,
    storedCycles: T,
    states: Uint8Array.from(states),
    skippedPerCycle: new Uint32Array(T),
    unit: 'termPair',
  };
}

describe('traceStats', () => {
  it('counts a hand-made 1×2 grid of 2-unit PEs over 2 cycles', () => {
    // cycle 0: PE0 = [eff, idle], PE1 = [inactive, eff]; cycle 1: PE0 = [eff, eff], PE1 = [ineff, inactive]
    const stats = traceStats(makeTrace(1, 2, 2, 2, [1, 2, 0, 1, 1, 1, 3, 0]));
    expect(Array.from(stats.stateCounts)).toEqual([1, 2, 1, 0, 1, 2, 0, 1]);
    expect(Array.from(stats.peEffectual)).toEqual([0.5, 0.5, 1, 0]);
    expect(Array.from(stats.occupancy)).toEqual([0.5, 0.5]);
    expect(stats.mappedOccupancy[0]).toBeCloseTo(2 / 3, 6);
    expect(meanOccupancy(stats)).toBe(0.5);
  });

  it('state counts always add up to the number of units', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 6 }),
        fc.infiniteStream(fc.integer({ min: 0, max: 3 })),
        (r, c, u, t, stream) => {
          const states = [...stream.take(r * c * u * t)];
          const stats = traceStats(makeTrace(r, c, u, t, states));
          for (let k = 0; k < t; k++) {
            const sum = stats.stateCounts.slice(k * 4, k * 4 + 4).reduce((a, b) => a + b, 0);
            expect(sum).toBe(r * c * u);
          }
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  it('lays units out in a near-square that holds them all', () => {
    expect(unitLayout(16)).toEqual({ cols: 4, rows: 4 });
    expect(unitLayout(8)).toEqual({ cols: 3, rows: 3 });
    expect(unitLayout(1)).toEqual({ cols: 1, rows: 1 });
    for (let u = 1; u < 100; u++) {
      const { cols, rows } = unitLayout(u);
      expect(cols * rows).toBeGreaterThanOrEqual(u);
      expect(cols * (rows - 1)).toBeLessThan(u);
    }
  });
});
