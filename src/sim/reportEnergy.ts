import type { SimConfig } from './config';
import type { LayerGeometry } from './types';
import type { LayerResult, ModelId } from './accel/types';
import { ACCELERATORS, paramsFor, withDefaults } from './accel';
import { layerEnergy, type EnergyLayerInput, type LayerEnergy } from './energy';
import type { LayerStorage, StorageFormatId } from './reportStorage';

/**
 * The report's energy estimate (accelerators.md §14, src/sim/energy): per layer and accelerator the totals
 * of `layerEnergy`, per accelerator the sums over layers. Everything the estimate needs is in the report
 * (results, storage, non-zero activations, configuration), so `layerEnergyDetail` rebuilds the full terms
 * for the app's formulas and gives the same numbers as the pipeline.
 */

/** One layer on one accelerator, pJ per image (one classification). */
export interface LayerEnergyReport {
  /** Storage format whose bits are read from DRAM: EIE reads its CSC, every other model the configured format. */
  weightFormat: StorageFormatId;
  compute: number;
  sram: number;
  dram: number;
  leakage: number;
  total: number;
}

/** One accelerator over the layers it applies to, pJ per image; `totalUJ` = total in µJ. */
export interface EnergyTotalsReport {
  compute: number;
  sram: number;
  dram: number;
  leakage: number;
  total: number;
  totalUJ: number;
  /** Layers the model applies to (EIE: FC layers only, unless loweredConv). */
  layers: number;
  /** Σ MACs of those layers, and total / macs. */
  macs: number;
  pJPerMac: number;
}

/** What the estimate reads from a layer of the report. */
export interface EnergyLayerSource {
  geometry: LayerGeometry;
  pa: number;
  pw: number;
  nonZeroActs: number;
  storage: LayerStorage;
  results: Partial<Record<ModelId, LayerResult>>;
}

export function weightFormatFor(id: ModelId, storage: LayerStorage): StorageFormatId {
  return id === 'eie' && storage.formats.eieCsc ? 'eieCsc' : storage.format;
}

/** The energy model's input for one layer and accelerator, or null when the model does not apply. */
export function energyInput(
  layer: EnergyLayerSource,
  id: ModelId,
  config: SimConfig,
): EnergyLayerInput | null {
  const result = layer.results[id];
  if (!result) return null;
  const stored = layer.storage.formats[weightFormatFor(id, layer.storage)]!;
  const weights: EnergyLayerInput['weights'] = { n: stored.n, nnz: stored.nnz, bits: stored.bits };
  if (stored.entries) weights.paddingEntries = stored.entries.padding;
  return {
    geometry: layer.geometry,
    pa: layer.pa,
    pw: layer.pw,
    result,
    params: withDefaults(ACCELERATORS[id], paramsFor(id, config.params)),
    weights,
    nonZeroActs: layer.nonZeroActs,
  };
}

/** Full estimate with every term (counts, unit energies, labels), as the pipeline computed it. */
export function layerEnergyDetail(
  layer: EnergyLayerSource,
  id: ModelId,
  config: SimConfig,
): LayerEnergy | null {
  const input = energyInput(layer, id, config);
  return input ? layerEnergy(input, config.energy ?? {}) : null;
}

export function layerEnergyReports(
  layer: EnergyLayerSource,
  config: SimConfig,
): Partial<Record<ModelId, LayerEnergyReport>> {
  const out: Partial<Record<ModelId, LayerEnergyReport>> = {};
  for (const id of config.accels) {
    const e = layerEnergyDetail(layer, id, config);
    if (!e) continue;
    out[id] = {
      weightFormat: weightFormatFor(id, layer.storage),
      compute: e.compute,
      sram: e.sram,
      dram: e.dram,
      leakage: e.leakage,
      total: e.total,
    };
  }
  return out;
}

export function energyTotals(
  layers: ReadonlyArray<{ macs: number; energy: Partial<Record<ModelId, LayerEnergyReport>> }>,
  accels: readonly ModelId[],
): Partial<Record<ModelId, EnergyTotalsReport>> {
  const out: Partial<Record<ModelId, EnergyTotalsReport>> = {};
  for (const id of accels) {
    const t = { compute: 0, sram: 0, dram: 0, leakage: 0, layers: 0, macs: 0 };
    for (const l of layers) {
      const e = l.energy[id];
      if (!e) continue;
      t.compute += e.compute;
      t.sram += e.sram;
      t.dram += e.dram;
      t.leakage += e.leakage;
      t.layers++;
      t.macs += l.macs;
    }
    if (t.layers === 0) continue;
    const total = t.compute + t.sram + t.dram + t.leakage;
    out[id] = {
      compute: t.compute,
      sram: t.sram,
      dram: t.dram,
      leakage: t.leakage,
      total,
      totalUJ: total / 1e6,
      layers: t.layers,
      macs: t.macs,
      pJPerMac: total / Math.max(t.macs, 1),
    };
  }
  return out;
}

/**
 * The same report under other energy constants, without re-running any model: only `config.energy`, the
 * layers' `energy` and `totals.energy` change. Equal to running the pipeline with `energy` (tested), so a
 * cache of reports can answer an edit of the constants at once.
 */
export function withEnergyConstants<
  R extends {
    config: SimConfig;
    layers: Array<EnergyLayerSource & { macs: number; energy: Partial<Record<ModelId, LayerEnergyReport>> }>;
    totals: { energy: Partial<Record<ModelId, EnergyTotalsReport>> };
  },
>(report: R, energy: SimConfig['energy']): R {
  const { energy: _old, ...rest } = report.config;
  const config: SimConfig = energy && Object.keys(energy).length > 0 ? { ...rest, energy } : rest;
  const layers = report.layers.map((l) => ({ ...l, energy: layerEnergyReports(l, config) }));
  return {
    ...report,
    config,
    layers,
    totals: { ...report.totals, energy: energyTotals(layers, config.accels) },
  };
}
