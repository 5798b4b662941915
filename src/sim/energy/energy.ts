import type { ModelId } from '../accel/types';
import { cdiv } from '../types';
import { resolveEnergyConstants, sramAccessEnergy, type EnergyConstants } from './constants';
import { countLayerWork, type BufferKind, type EnergyLayerInput, type OpKind } from './work';

/**
 * First-order energy estimate of one layer on one accelerator (accelerators.md §14) [reconstruction]:
 * E = E_compute + E_sram + E_dram (+ leakage · cycles, 0 by default), all in pJ. Every term keeps its count
 * and unit energy so that the UI can show the formula with the numbers.
 */

export interface ComputeTerm {
  kind: OpKind;
  bits: number;
  count: number;
  unitEnergy: number;
  energy: number;
  label: string;
}

export interface SramTerm {
  buffer: BufferKind;
  sizeKB: number;
  bits: number;
  /** 64-bit accesses, cdiv(bits, 64). */
  words: number;
  unitEnergy: number;
  energy: number;
  label: string;
}

export interface DramTerm {
  weightBits: number;
  inputActBits: number;
  outputActBits: number;
  words: number;
  unitEnergy: number;
  energy: number;
}

export interface LayerEnergy {
  model: ModelId;
  layer: string;
  compute: number;
  sram: number;
  dram: number;
  leakage: number;
  total: number;
  computeTerms: ComputeTerm[];
  sramTerms: SramTerm[];
  dramTerm: DramTerm;
  cycles: number;
}

export function layerEnergy(input: EnergyLayerInput, overrides: Partial<EnergyConstants> = {}): LayerEnergy {
  const c = resolveEnergyConstants(overrides);
  const counts = countLayerWork(input, c);
  const computeTerms = counts.ops.map((op) => ({ ...op, energy: op.count * op.unitEnergy }));
  const sramTerms = counts.sram.map((t) => {
    // Estimated counts (densities, ratios) may be fractional; accesses are whole words.
    const words = cdiv(Math.ceil(t.bits), 64);
    const unitEnergy = sramAccessEnergy(t.sizeKB, c);
    return { ...t, words, unitEnergy, energy: words * unitEnergy };
  });
  const { weights, inputActs, outputActs } = counts.dramBits;
  const dramWords = cdiv(Math.ceil(weights + inputActs + outputActs), 64);
  const dramTerm: DramTerm = {
    weightBits: weights,
    inputActBits: inputActs,
    outputActBits: outputActs,
    words: dramWords,
    unitEnergy: c.dramPerWord,
    energy: dramWords * c.dramPerWord,
  };
  const compute = sum(computeTerms.map((t) => t.energy));
  const sram = sum(sramTerms.map((t) => t.energy));
  const leakage = input.result.cycles * c.leakagePerCycle;
  return {
    model: input.result.model,
    layer: input.result.layer,
    compute,
    sram,
    dram: dramTerm.energy,
    leakage,
    total: compute + sram + dramTerm.energy + leakage,
    computeTerms,
    sramTerms,
    dramTerm,
    cycles: input.result.cycles,
  };
}

export interface EnergyTotals {
  model: ModelId | 'mixed';
  compute: number;
  sram: number;
  dram: number;
  leakage: number;
  total: number;
  /** Operation counts summed by kind and width over the layers. */
  ops: { kind: OpKind; bits: number; count: number; energy: number }[];
}

/** Network total of one accelerator: sums over layers. */
export function sumEnergy(layers: readonly LayerEnergy[]): EnergyTotals {
  const models = new Set(layers.map((l) => l.model));
  const ops = new Map<string, { kind: OpKind; bits: number; count: number; energy: number }>();
  for (const l of layers)
    for (const t of l.computeTerms) {
      const key = `${t.kind}:${t.bits}`;
      const acc = ops.get(key) ?? { kind: t.kind, bits: t.bits, count: 0, energy: 0 };
      acc.count += t.count;
      acc.energy += t.energy;
      ops.set(key, acc);
    }
  const compute = sum(layers.map((l) => l.compute));
  const sram = sum(layers.map((l) => l.sram));
  const dram = sum(layers.map((l) => l.dram));
  const leakage = sum(layers.map((l) => l.leakage));
  return {
    model: models.size === 1 ? [...models][0] : 'mixed',
    compute,
    sram,
    dram,
    leakage,
    total: compute + sram + dram + leakage,
    ops: [...ops.values()],
  };
}

/** Per-layer estimates and the network total of one accelerator. */
export function networkEnergy(
  layers: readonly EnergyLayerInput[],
  overrides: Partial<EnergyConstants> = {},
): { layers: LayerEnergy[]; totals: EnergyTotals } {
  const out = layers.map((l) => layerEnergy(l, overrides));
  return { layers: out, totals: sumEnergy(out) };
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
