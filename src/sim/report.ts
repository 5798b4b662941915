import type { LayerGeometry, LayerKind } from './types';
import type { LayerResult, ModelId } from './accel/types';
import type { SimConfig } from './config';
import type { LayerStorage, StorageTotals } from './reportStorage';
import type { EnergyTotalsReport, LayerEnergyReport } from './reportEnergy';

/**
 * The result of one configuration: exactly the CLI's JSON output (product.md "JSON output") and what the
 * app's views render. Every field is documented in docs/output-format.md.
 */
export interface SimReport {
  tool: 'effectual';
  formatVersion: 1;
  config: SimConfig;
  model: { name: string; synthetic: boolean; source: string; inputShape: number[] };
  accuracy?: { images: number; float: number; quantized: number };
  layers: LayerReport[];
  totals: TotalsReport;
}

export interface LayerReport {
  name: string;
  kind: LayerKind;
  index: number;
  geometry: LayerGeometry;
  macs: number;
  synthetic: boolean;
  pa: number;
  pw: number;
  wb: number;
  /** Fraction of zero weight codes. */
  weightSparsity: number;
  /** Fraction of zero activation codes (mean over images). */
  actSparsity: number;
  meanTermsPerWeight: number;
  meanTermsPerAct: number;
  /** Laconic-style potential: MACs*Wb^2 / sum(max(1, T(a)T(w))) (accelerators.md §7.3). */
  termPotential: number;
  weightScheme: string;
  /** Quantiser metadata that explains the codes (scales, thresholds, Wp/Wn...). */
  quantMeta: Record<string, number | string>;
  results: Partial<Record<ModelId, LayerResult>>;
  /** Non-zero activation codes of the unpadded layer input (mean over images); an input of the energy estimate. */
  nonZeroActs: number;
  /** Weight footprint in every format that applies (accelerators.md §15, docs/output-format.md §3.1). */
  storage: LayerStorage;
  /** Energy estimate per accelerator in `results`, pJ per image (accelerators.md §14). */
  energy: Partial<Record<ModelId, LayerEnergyReport>>;
}

export interface TotalsReport {
  macs: number;
  results: Partial<
    Record<ModelId, { cycles: number; baselineCycles: number; speedup: number; effectualWork: number }>
  >;
  storage: StorageTotals;
  /** Energy estimate per accelerator: Σ over the layers it applies to, pJ per image. */
  energy: Partial<Record<ModelId, EnergyTotalsReport>>;
}
