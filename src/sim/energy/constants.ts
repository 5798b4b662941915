/**
 * Constants of the first-order energy model (accelerators.md §14): 45 nm, 0.9 V figures as widely quoted from
 * Horowitz, "Computing's energy problem", ISSCC 2014, plus our own buffer-size choices. Everything is data so
 * that the app can show and edit it; `resolveEnergyConstants` applies a user's overrides.
 */

export type ProvenanceTag = 'secondary' | 'from-memory-unverified' | 'derived' | 'reconstruction';

export interface EnergyConstants {
  intAdd8: number;
  intAdd16: number;
  intAdd32: number;
  intMul8: number;
  intMul16: number;
  intMul32: number;
  fpAdd16: number;
  fpAdd32: number;
  fpMul16: number;
  fpMul32: number;
  /** SRAM read or write of one 64-bit word. */
  sram8KB: number;
  sram32KB: number;
  sram1MB: number;
  /** DRAM transfer of one 64-bit word. */
  dramPerWord: number;
  /** 1-bit × 1-bit partial product with its share of the adder tree. */
  bitProduct: number;
  /** One Laconic term pair: exponent add, one-hot decode, histogram increment. */
  laconicTermPair: number;
  /** Static energy per cycle (0: static power ignored). */
  leakagePerCycle: number;
  /** Width of an output partial-sum accumulation. */
  accumulatorBits: number;
  activationBufferKB: number;
  weightBufferKB: number;
  accumulatorBufferKB: number;
  /** Zero-skipping metadata widths. */
  cnvlutinOffsetBits: number;
  scnnIndexBits: number;
}

export type EnergyConstantKey = keyof EnergyConstants;

export interface EnergyConstantInfo {
  label: string;
  unit: string;
  provenance: ProvenanceTag;
  /** How a derived value follows from the others; it is recomputed unless overridden itself. */
  derivation?: string;
}

export const DEFAULT_ENERGY_CONSTANTS: Readonly<EnergyConstants> = Object.freeze({
  intAdd8: 0.03,
  intAdd16: 0.05,
  intAdd32: 0.1,
  intMul8: 0.2,
  intMul16: 0.8,
  intMul32: 3.1,
  fpAdd16: 0.4,
  fpAdd32: 0.9,
  fpMul16: 1.1,
  fpMul32: 3.7,
  sram8KB: 10,
  sram32KB: 20,
  sram1MB: 100,
  dramPerWord: 1280,
  bitProduct: 0.2 / 64,
  laconicTermPair: 0.015,
  leakagePerCycle: 0,
  accumulatorBits: 32,
  activationBufferKB: 32,
  weightBufferKB: 1024,
  accumulatorBufferKB: 8,
  cnvlutinOffsetBits: 4,
  scnnIndexBits: 4,
});

export const ENERGY_CONSTANT_INFO: Readonly<Record<EnergyConstantKey, EnergyConstantInfo>> = {
  intAdd8: { label: '8-bit integer add', unit: 'pJ', provenance: 'from-memory-unverified' },
  intAdd16: {
    label: '16-bit integer add',
    unit: 'pJ',
    provenance: 'derived',
    derivation: 'interpolation of 8 and 32 bit',
  },
  intAdd32: { label: '32-bit integer add', unit: 'pJ', provenance: 'secondary' },
  intMul8: { label: '8-bit integer multiply', unit: 'pJ', provenance: 'from-memory-unverified' },
  intMul16: {
    label: '16-bit integer multiply',
    unit: 'pJ',
    provenance: 'derived',
    derivation: '4 · intMul8 (∝ bits²)',
  },
  intMul32: { label: '32-bit integer multiply', unit: 'pJ', provenance: 'secondary' },
  fpAdd16: { label: 'FP16 add', unit: 'pJ', provenance: 'from-memory-unverified' },
  fpAdd32: { label: 'FP32 add', unit: 'pJ', provenance: 'secondary' },
  fpMul16: { label: 'FP16 multiply', unit: 'pJ', provenance: 'from-memory-unverified' },
  fpMul32: { label: 'FP32 multiply', unit: 'pJ', provenance: 'secondary' },
  sram8KB: { label: 'SRAM 8 KB, 64-bit access', unit: 'pJ', provenance: 'secondary' },
  sram32KB: { label: 'SRAM 32 KB, 64-bit access', unit: 'pJ', provenance: 'from-memory-unverified' },
  sram1MB: { label: 'SRAM 1 MB, 64-bit access', unit: 'pJ', provenance: 'from-memory-unverified' },
  dramPerWord: { label: 'DRAM, 64-bit word (20 pJ/bit)', unit: 'pJ', provenance: 'from-memory-unverified' },
  bitProduct: {
    label: '1b × 1b partial product',
    unit: 'pJ',
    provenance: 'derived',
    derivation: 'intMul8 / 64',
  },
  laconicTermPair: {
    label: 'Laconic term pair (≈ 4-bit add)',
    unit: 'pJ',
    provenance: 'derived',
    derivation: 'intAdd8 · 4 / 8',
  },
  leakagePerCycle: { label: 'leakage per cycle', unit: 'pJ', provenance: 'reconstruction' },
  accumulatorBits: { label: 'accumulator width', unit: 'bit', provenance: 'reconstruction' },
  activationBufferKB: { label: 'activation buffer size', unit: 'KB', provenance: 'reconstruction' },
  weightBufferKB: { label: 'weight buffer size', unit: 'KB', provenance: 'reconstruction' },
  accumulatorBufferKB: { label: 'SCNN accumulator bank size', unit: 'KB', provenance: 'reconstruction' },
  cnvlutinOffsetBits: {
    label: 'Cnvlutin offset per non-zero activation',
    unit: 'bit',
    provenance: 'reconstruction',
  },
  scnnIndexBits: { label: 'SCNN zero-run index per non-zero', unit: 'bit', provenance: 'reconstruction' },
};

/** Defaults with the overrides applied; a derived constant follows its (possibly overridden) sources. */
export function resolveEnergyConstants(overrides: Partial<EnergyConstants> = {}): EnergyConstants {
  const c: EnergyConstants = { ...DEFAULT_ENERGY_CONSTANTS, ...overrides };
  if (overrides.intMul16 === undefined) c.intMul16 = 4 * c.intMul8;
  if (overrides.bitProduct === undefined) c.bitProduct = c.intMul8 / 64;
  if (overrides.laconicTermPair === undefined) c.laconicTermPair = (c.intAdd8 * 4) / 8;
  return c;
}

/** Integer add of any width: piecewise linear through 0 and the 8-, 16- and 32-bit rows, ∝ bits beyond. */
export function intAddEnergy(bits: number, c: EnergyConstants): number {
  if (bits <= 8) return (c.intAdd8 * bits) / 8;
  if (bits <= 16) return c.intAdd8 + ((c.intAdd16 - c.intAdd8) * (bits - 8)) / 8;
  if (bits <= 32) return c.intAdd16 + ((c.intAdd32 - c.intAdd16) * (bits - 16)) / 16;
  return (c.intAdd32 * bits) / 32;
}

/** One floating-point multiply-add at 16 or 32 bits. */
export function fpMacEnergy(bits: 16 | 32, c: EnergyConstants): number {
  return bits === 16 ? c.fpMul16 + c.fpAdd16 : c.fpMul32 + c.fpAdd32;
}

/**
 * 64-bit access to an SRAM of `sizeKB`: log-log interpolation through the 8 KB, 32 KB and 1 MB rows, so each row
 * is reproduced exactly; outside that range the §14 fit's square-root law from the nearest row.
 */
export function sramAccessEnergy(sizeKB: number, c: EnergyConstants): number {
  const rows: [number, number][] = [
    [8, c.sram8KB],
    [32, c.sram32KB],
    [1024, c.sram1MB],
  ];
  if (sizeKB <= rows[0][0]) return rows[0][1] * Math.sqrt(sizeKB / rows[0][0]);
  const [lastSize, lastEnergy] = rows[rows.length - 1];
  if (sizeKB >= lastSize) return lastEnergy * Math.sqrt(sizeKB / lastSize);
  for (let i = 1; i < rows.length; i++) {
    const [s1, e1] = rows[i];
    if (sizeKB > s1) continue;
    const [s0, e0] = rows[i - 1];
    const t = Math.log(sizeKB / s0) / Math.log(s1 / s0);
    return e0 * (e1 / e0) ** t;
  }
  return lastEnergy;
}
