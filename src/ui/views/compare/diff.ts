import type { LayerResult, ModelId } from '../../../sim/accel/types';
import type { SimReport } from '../../../sim/report';

export interface DiffRow {
  layer: string;
  a?: LayerResult;
  b?: LayerResult;
}

export interface DiffTotals {
  a?: { cycles: number; speedup: number };
  b?: { cycles: number; speedup: number };
}

/** Accelerators with results on both sides, in A's order. */
export function commonAccels(a: SimReport, b: SimReport): ModelId[] {
  return a.config.accels.filter((id) => a.totals.results[id] && b.totals.results[id]);
}

/** Layers matched by name: A's in order, then those only B has. */
export function diffRows(a: SimReport, b: SimReport, id: ModelId): DiffRow[] {
  const bByName = new Map(b.layers.map((l) => [l.name, l]));
  const rows: DiffRow[] = a.layers.map((l) => ({
    layer: l.name,
    a: l.results[id],
    b: bByName.get(l.name)?.results[id],
  }));
  const inA = new Set(a.layers.map((l) => l.name));
  for (const l of b.layers) if (!inA.has(l.name)) rows.push({ layer: l.name, b: l.results[id] });
  return rows;
}

/** B relative to A (B / A), or null when either is missing or A is zero. */
export function ratio(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined || b === undefined || a === 0) return null;
  return b / a;
}
