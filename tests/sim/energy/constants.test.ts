import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ENERGY_CONSTANTS,
  ENERGY_CONSTANT_INFO,
  fpMacEnergy,
  intAddEnergy,
  resolveEnergyConstants,
  sramAccessEnergy,
} from '../../../src/sim/energy/constants';

describe('energy constants (§14)', () => {
  const c = resolveEnergyConstants();

  it('derived values follow the table', () => {
    expect(c.bitProduct).toBeCloseTo(0.2 / 64, 15); // 3.1 fJ
    expect(Math.abs(3.1 / 1024 - c.bitProduct)).toBeLessThan(2e-4); // the 32-bit figure is consistent
    expect(c.intMul16).toBeCloseTo(0.8, 12); // ∝ bits² from 8 bit
    expect(256 * c.bitProduct).toBeCloseTo(c.intMul16, 12); // a 16×16 MAC as 256 bit products
    expect(c.laconicTermPair).toBeCloseTo(0.015, 12);
    expect(intAddEnergy(4, c)).toBeCloseTo(0.015, 12);
    expect(c.dramPerWord).toBe(64 * 20); // 20 pJ/bit
    expect(c.leakagePerCycle).toBe(0);
  });

  it('integer add reproduces the rows and is monotonic', () => {
    expect(intAddEnergy(8, c)).toBeCloseTo(0.03, 12);
    expect(intAddEnergy(16, c)).toBeCloseTo(0.05, 12);
    expect(intAddEnergy(32, c)).toBeCloseTo(0.1, 12);
    for (let b = 1; b < 64; b++) expect(intAddEnergy(b + 1, c)).toBeGreaterThan(intAddEnergy(b, c));
  });

  it('FP multiply-add sums the multiply and add rows', () => {
    expect(fpMacEnergy(32, c)).toBeCloseTo(3.7 + 0.9, 12);
    expect(fpMacEnergy(16, c)).toBeCloseTo(1.1 + 0.4, 12);
  });

  it('SRAM reproduces the three rows, is monotonic and follows the sqrt fit outside them', () => {
    expect(sramAccessEnergy(8, c)).toBeCloseTo(10, 12);
    expect(sramAccessEnergy(32, c)).toBeCloseTo(20, 12);
    expect(sramAccessEnergy(1024, c)).toBeCloseTo(100, 12);
    expect(sramAccessEnergy(2, c)).toBeCloseTo(10 * Math.sqrt(2 / 8), 12);
    expect(sramAccessEnergy(4096, c)).toBeCloseTo(100 * 2, 12);
    let prev = 0;
    for (let kb = 1; kb <= 8192; kb *= 1.5) {
      const e = sramAccessEnergy(kb, c);
      expect(e).toBeGreaterThan(prev);
      prev = e;
    }
    // The §14 fit 10·sqrt(S/8 KB) is within 15 % of the interpolation between the rows.
    for (const kb of [16, 64, 256, 512])
      expect(sramAccessEnergy(kb, c) / (10 * Math.sqrt(kb / 8))).toBeGreaterThan(0.85);
  });

  it('overrides replace values and derived constants follow their sources', () => {
    const o = resolveEnergyConstants({ intMul8: 0.4, dramPerWord: 2560 });
    expect(o.intMul8).toBe(0.4);
    expect(o.bitProduct).toBeCloseTo(0.4 / 64, 15);
    expect(o.intMul16).toBeCloseTo(1.6, 12);
    expect(o.dramPerWord).toBe(2560);
    const explicit = resolveEnergyConstants({ intMul8: 0.4, bitProduct: 0.01 });
    expect(explicit.bitProduct).toBe(0.01);
    expect(DEFAULT_ENERGY_CONSTANTS.intMul8).toBe(0.2); // defaults untouched
  });

  it('every constant has display information', () => {
    for (const key of Object.keys(DEFAULT_ENERGY_CONSTANTS)) {
      const info = ENERGY_CONSTANT_INFO[key as keyof typeof ENERGY_CONSTANT_INFO];
      expect(info, key).toBeDefined();
      expect(info.unit.length).toBeGreaterThan(0);
    }
  });
});
