import { expect } from 'vitest';
import type { LayerResult } from '../../../../src/sim/accel/types';

/** §16.1: cycles >= cdiv(effectualWork, slotsPerCycle) and 0 <= occupancy <= 1, plus record consistency. */
export function expectResultInvariants(r: LayerResult): void {
  expect(Number.isInteger(r.cycles)).toBe(true);
  expect(r.cycles).toBeGreaterThanOrEqual(Math.ceil(r.effectualWork / r.slotsPerCycle));
  expect(r.occupancy).toBeGreaterThanOrEqual(0);
  expect(r.occupancy).toBeLessThanOrEqual(1 + 1e-12);
  expect(r.idleSlots).toBeGreaterThanOrEqual(0);
  expect(r.skippedWork).toBeGreaterThanOrEqual(0);
  expect(r.speedup).toBeCloseTo(r.baselineCycles / Math.max(r.cycles, 1), 12);
}
