import type { TileTrace } from '../../sim/accel/types';

/** Per-cycle summaries of a tile trace, computed once per trace for the sparkline, heatmap and legend. */
export interface TraceStats {
  /** storedCycles × 4 counts of units in each UnitState (index = state). */
  stateCounts: Uint32Array;
  /** storedCycles × PEs: fraction of each PE's units doing effectual work. */
  peEffectual: Float32Array;
  /** Per cycle: effectual units / all units of the tile. */
  occupancy: Float32Array;
  /** Per cycle: effectual units / units with something mapped (not inactive); NaN when none is mapped. */
  mappedOccupancy: Float32Array;
  units: number;
  pes: number;
}

export function traceStats(trace: TileTrace): TraceStats {
  const pes = trace.peRows * trace.peCols;
  const U = trace.unitsPerPE;
  const units = pes * U;
  const T = trace.storedCycles;
  const stateCounts = new Uint32Array(T * 4);
  const peEffectual = new Float32Array(T * pes);
  const occupancy = new Float32Array(T);
  const mappedOccupancy = new Float32Array(T);
  const s = trace.states;
  for (let t = 0; t < T; t++) {
    const base = t * units;
    for (let pe = 0; pe < pes; pe++) {
      let eff = 0;
      for (let u = 0; u < U; u++) {
        const state = s[base + pe * U + u] & 3;
        stateCounts[t * 4 + state]++;
        if (state === 1) eff++;
      }
      peEffectual[t * pes + pe] = eff / U;
    }
    const e = stateCounts[t * 4 + 1];
    const mapped = units - stateCounts[t * 4];
    occupancy[t] = units > 0 ? e / units : 0;
    mappedOccupancy[t] = mapped > 0 ? e / mapped : NaN;
  }
  return { stateCounts, peEffectual, occupancy, mappedOccupancy, units, pes };
}

/** Mean of the per-cycle effectual fraction over the stored cycles. */
export function meanOccupancy(stats: TraceStats): number {
  if (stats.occupancy.length === 0) return 0;
  let sum = 0;
  for (const v of stats.occupancy) sum += v;
  return sum / stats.occupancy.length;
}

/** Near-square layout of a PE's units: columns × rows of sub-cells. */
export function unitLayout(unitsPerPE: number): { cols: number; rows: number } {
  const cols = Math.ceil(Math.sqrt(unitsPerPE));
  return { cols, rows: Math.ceil(unitsPerPE / cols) };
}
