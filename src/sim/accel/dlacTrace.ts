/**
 * Cycle-by-cycle view of one DLAC tile (accelerators.md §13), built from the same `chunkCounts`/`chunkCost`
 * as the cycle count. Schedule inside a chunk: every cycle each PE serves the (at most U) buffers with the
 * most effectual pairs left, ties to the lower buffer index. This "largest remaining first" rule finishes a
 * PE in exactly max(cdiv(S, U), Mx) cycles (the peCost of §13.2): it never lets the longest buffer fall
 * behind while units are free, and it keeps all U units busy while more than U buffers have work.
 */
import { chunkCost, dlacTile, prepareDlac, type DlacConfig } from './dlacCore';
import { TraceBuffer } from './traceBuffer';
import { UnitState } from './types';
import type { AccelLayerInput, TileTrace, TraceRequest } from './types';

export function traceDlac(input: AccelLayerInput, cfg: DlacConfig, request: TraceRequest): TileTrace {
  const layer = prepareDlac(input, cfg);
  const { filterBlock: fb, windowBlock: wb } = request;
  if (!(Number.isInteger(fb) && fb >= 0 && fb < layer.filterBlocks))
    throw new RangeError(`trace: filterBlock ${fb} out of range`);
  if (!(Number.isInteger(wb) && wb >= 0 && wb < layer.windowBlocks))
    throw new RangeError(`trace: windowBlock ${wb} out of range`);
  const { R, Cg, B, U, L } = cfg;
  const tile = dlacTile(layer, fb, wb);
  const nBuf = R * Cg * B;
  const counts: Int32Array[] = [];
  const costs = new Int32Array(layer.chunks);
  let cycles = 0;
  for (let q = 0; q < layer.chunks; q++) {
    const e = new Int32Array(nBuf);
    costs[q] = chunkCost(layer, tile, q, e);
    cycles += costs[q];
    counts.push(e);
  }
  const buf = new TraceBuffer(cycles, request.maxCycles, R, Cg, B);
  const left = new Int32Array(B);
  const order = new Int32Array(B);
  let t0 = 0;
  let carriedSkip = 0;
  for (let q = 0; q < layer.chunks; q++) {
    const e = counts[q];
    const Lq = Math.min(L, layer.D - q * L);
    for (let x = 0; x < nBuf; x++) if (tile.filterOf[x] >= 0) carriedSkip += Lq - e[x];
    // Pairs of a chunk that costs no cycle (skipEmptyChunks) are shown with the next chunk that does.
    if (costs[q] === 0 || t0 >= buf.storedCycles) continue;
    buf.addSkipped(t0, carriedSkip);
    carriedSkip = 0;
    for (let r = 0; r < R; r++)
      for (let c = 0; c < Cg; c++) {
        const base = (r * Cg + c) * B;
        for (let b = 0; b < B; b++) left[b] = e[base + b];
        for (let t = t0; t < t0 + costs[q] && t < buf.storedCycles; t++) {
          for (let b = 0; b < B; b++) order[b] = b;
          // Insertion sort by remaining pairs (descending), stable: ties keep the lower buffer first.
          for (let a = 1; a < B; a++) {
            const v = order[a];
            let p = a - 1;
            while (p >= 0 && left[order[p]] < left[v]) {
              order[p + 1] = order[p];
              p--;
            }
            order[p + 1] = v;
          }
          for (let b = 0; b < B; b++) if (tile.filterOf[base + b] >= 0) buf.set(t, r, c, b, UnitState.Idle);
          for (let k = 0; k < U && k < B; k++) {
            const b = order[k];
            if (left[b] === 0) break;
            left[b]--;
            buf.set(t, r, c, b, UnitState.Effectual);
          }
        }
      }
    t0 += costs[q];
  }
  if (carriedSkip > 0 && buf.storedCycles === cycles && cycles > 0)
    buf.addSkipped(buf.storedCycles - 1, carriedSkip);
  const perTileWindows = cfg.mapping === 'windowsPerPE' ? Cg * B : Cg;
  const perTileFilters = cfg.mapping === 'windowsPerPE' ? R : R * B;
  const f0 = fb * perTileFilters;
  const w0 = wb * perTileWindows;
  return {
    model: 'dlac',
    layer: input.name,
    filterBlock: fb,
    windowBlock: wb,
    peRows: R,
    peCols: Cg,
    unitsPerPE: B,
    cycles,
    storedCycles: buf.storedCycles,
    states: buf.states,
    skippedPerCycle: buf.skippedPerCycle,
    notes: [
      cfg.mapping === 'windowsPerPE'
        ? `PE (r, c) buffer b accumulates output (filter ${f0} + r, window ${w0} + c·${B} + b)`
        : `PE (r, c) buffer b accumulates output (filter ${f0} + r·${B} + b, window ${w0} + c)`,
      `windows in §1.5 order: window n = output (n mod ${layer.Oh}, floor(n / ${layer.Oh}))`,
      `${layer.chunks} chunks of ${L} reduction pairs (d = (i·Kw + j)·C + c); chunk cycles: ${Array.from(costs).join(' ')}`,
      `each cycle a PE serves at most ${U} buffers, those with the most effectual pairs left (ties: lower buffer)`,
      'Effectual: buffer accumulates an effectual pair; Idle: waiting (units busy elsewhere or chunk sync); Inactive: no output mapped',
    ],
    unit: 'mac',
  };
}
