import { ACCELERATORS } from '../../sim/accel';
import type { AcceleratorModel, ModelId } from '../../sim/accel/types';
import type { ParamCatalog } from './schema';

/** The accelerator catalogue (names, summaries, parameter declarations) of src/sim/accel. */
export const ACCELERATOR_CATALOG: Partial<Record<ModelId, AcceleratorModel>> = ACCELERATORS;

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
