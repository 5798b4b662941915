import type { ModelId } from '../../sim/accel/types';

/** Which baseline each model's `speedup` is measured against (accelerators.md §3, §9-§13). */
export const BASELINE_OF: Record<ModelId, string> = {
  dadn: 'DaDN',
  stripes: 'DaDN',
  dstripes: 'DaDN',
  pragmatic: 'DaDN',
  laconic: 'DaDN',
  loom: 'DaDN',
  bitfusion: 'DaDN',
  cnvlutin: 'own dense mode',
  scnn: 'own dense mode (same SCNN without sparsity)',
  eie: 'own dense mode (same PEs)',
  dlac: 'own dense mode (same grid without skipping)',
};

export function baselineShort(id: ModelId): string {
  return BASELINE_OF[id] === 'DaDN' ? 'DaDN' : 'dense';
}
