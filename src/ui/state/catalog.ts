import type { AcceleratorModel, ModelId } from '../../sim/accel/types';
import type { ParamCatalog } from './schema';

/**
 * The accelerator catalogue (names, summaries, parameter declarations) from src/sim/accel/index.ts.
 * Loaded through import.meta.glob so the app still builds and runs while that module is being written:
 * without it, parameter editors are hidden and link parameters are only shape-checked.
 */
const modules = import.meta.glob<{ ACCELERATORS?: Partial<Record<ModelId, AcceleratorModel>> }>(
  '../../sim/accel/index.ts',
  { eager: true },
);

export const ACCELERATOR_CATALOG: Partial<Record<ModelId, AcceleratorModel>> =
  Object.values(modules)[0]?.ACCELERATORS ?? {};

export const PARAM_CATALOG: ParamCatalog = Object.fromEntries(
  Object.entries(ACCELERATOR_CATALOG).map(([id, model]) => [id, model?.params ?? []]),
);

const FALLBACK_NAMES: Record<ModelId, string> = {
  dadn: 'DaDianNao (baseline)',
  stripes: 'Stripes',
  dstripes: 'Dynamic Stripes',
  pragmatic: 'Pragmatic',
  laconic: 'Laconic',
  loom: 'Loom',
  cnvlutin: 'Cnvlutin',
  scnn: 'SCNN',
  bitfusion: 'Bit Fusion',
  eie: 'EIE',
  dlac: 'DLAC',
};

export function accelName(id: ModelId): string {
  return ACCELERATOR_CATALOG[id]?.name ?? FALLBACK_NAMES[id];
}

export function accelSummary(id: ModelId): string {
  return ACCELERATOR_CATALOG[id]?.summary ?? '';
}
