/**
 * Cycle-by-cycle trace of one Laconic tile (§1.7): `filterBlock` = a block of `rows` filters (one tile;
 * filter set = filterBlock / tiles), `windowBlock` = a window group (FC: 0). Step costs come from the cycle
 * count's own functions (groupCycles / stepCost / fcCycles); each lane then shows its own T(a)·T(w) term
 * pairs as effectual cycles and waits (idle) for the rest of the step and for the tile synchronisation.
 */
import {
  fcCycles,
  groupCycles,
  prepareLaconic,
  readLaconicOptions,
  stepCost,
  type LaconicLayer,
} from './laconicCore';
import { TraceBuffer } from './traceBuffer';
import { termCountsOf } from '../terms';
import { UnitState, type AccelLayerInput, type Params, type TileTrace, type TraceRequest } from './types';

/** One step of the tile in trace time: [start, end), first column and the input positions of its windows. */
interface StepDraw {
  start: number;
  end: number;
  /** Step index (i, j, cg); −1 = the tile only waits. */
  step: number;
  col0: number;
  cols: number;
  actPositions: number[];
  f0: number;
}

/** Draws one step of the tile: PE (r, c) = (filter f0 + r, window/column c) over lanes. */
function drawStep(
  layer: LaconicLayer,
  wgtCounts: Uint8Array,
  buf: TraceBuffer,
  at: StepDraw,
  pa: number,
  pw: number,
) {
  const { lanes } = layer.opts.grid;
  const p = layer.prepared;
  const rowsActive = Math.min(buf.peRows, p.K - at.f0);
  const cg = at.step % layer.numCg;
  const validLanes = Math.min(lanes, p.C - cg * lanes);
  let skipped = 0;
  const kernel = p.Kh * p.Kw;
  const ij = Math.floor(at.step / layer.numCg);
  for (let r = 0; r < rowsActive; r++) {
    const w = ((at.f0 + r) * p.C + cg * lanes) * kernel + ij; // Tw of lane l at w + l·kernel
    for (let k = 0; k < at.cols; k++) {
      const a = at.actPositions[k] * layer.cPad + cg * lanes;
      const col = at.col0 + k;
      buf.fill(r, col, 0, validLanes, at.start, at.end, UnitState.Idle);
      for (let l = 0; l < validLanes; l++) {
        const pairs = layer.actTerms[a + l] * wgtCounts[w + l * kernel];
        buf.fill(r, col, l, l + 1, at.start, at.start + pairs, UnitState.Effectual);
        skipped += Math.max(0, pa * pw - pairs);
      }
    }
  }
  buf.addSkipped(at.start, skipped);
}

export function laconicTrace(input: AccelLayerInput, params: Params, request: TraceRequest): TileTrace {
  const opts = readLaconicOptions(params, input);
  const layer = prepareLaconic(input, opts);
  const { lanes, columns, rows, tiles } = opts.grid;
  const p = layer.prepared;
  const windowBlocks = layer.isFc ? 1 : layer.numGroups;
  if (
    !Number.isInteger(request.filterBlock) ||
    request.filterBlock < 0 ||
    request.filterBlock >= layer.tileBlocks
  ) {
    throw new RangeError(`filterBlock must be in 0..${layer.tileBlocks - 1}`);
  }
  if (
    !Number.isInteger(request.windowBlock) ||
    request.windowBlock < 0 ||
    request.windowBlock >= windowBlocks
  ) {
    throw new RangeError(`windowBlock must be in 0..${windowBlocks - 1}`);
  }
  const block = request.filterBlock;
  const set = Math.floor(block / tiles);
  const tile = block % tiles;
  const f0 = block * rows;
  const draws: StepDraw[] = [];
  let cycles: number;
  let notes: string[];

  if (layer.isFc) {
    const issues: Array<{ cg: number; col: number; start: number; cost: number }> = [];
    fcCycles(layer, (s, t, cg, col, start, cost) => {
      if (s === set && t === tile) issues.push({ cg, col, start, cost });
    });
    const start = Math.min(...issues.map((x) => x.start));
    cycles = Math.max(...issues.map((x) => x.start + x.cost)) - start;
    for (const x of issues) {
      draws.push({
        start: x.start - start,
        end: x.start - start + x.cost,
        step: x.cg,
        col0: x.col,
        cols: 1,
        actPositions: [0],
        f0,
      });
    }
    notes = [
      `FC: columns are independent bricks; this tile's bricks run in cycles ${start}..${start + cycles}.`,
    ];
  } else {
    const g = request.windowBlock;
    const first = g * columns;
    const count = Math.min(columns, layer.numWindows - first);
    const tileTotals = new Float64Array(tiles);
    cycles = groupCycles(layer, set, g, tileTotals);
    const actPositions: number[] = [];
    for (let c = 0; c < count; c++) actPositions.push(layer.bases[first + c]);
    let t = 0;
    for (let step = 0; step < layer.steps; step++) {
      const own = stepCost(layer, g, block, step);
      let span = own;
      if (opts.tileSync === 'step') {
        for (let u = 0; u < tiles && (set * tiles + u) * rows < p.K; u++)
          span = Math.max(span, stepCost(layer, g, set * tiles + u, step));
      }
      const ij = Math.floor(step / layer.numCg);
      const shift = Math.floor(ij / p.Kw) * p.Nw + (ij % p.Kw);
      // In 'step' mode the tile then waits for the slowest tile's step: idle until t + span.
      draws.push({
        start: t,
        end: t + span,
        step,
        col0: 0,
        cols: count,
        actPositions: actPositions.map((x) => x + shift),
        f0,
      });
      t += span;
    }
    if (t < cycles)
      draws.push({ start: t, end: cycles, step: -1, col0: 0, cols: count, actPositions: [], f0 });
    notes = [
      `Filter set ${set}, tile ${tile} (tileSync ${opts.tileSync}): own busy cycles ${tileTotals[tile]} of the group's ${cycles}.`,
    ];
  }

  const buf = new TraceBuffer(cycles, request.maxCycles, rows, columns, lanes);
  const wgtCounts = termCountsOf(p.wgt, opts.termEncoding);
  for (const d of draws) {
    if (d.step >= 0) drawStep(layer, wgtCounts, buf, d, input.pa, input.pw);
    else waitAll(layer, buf, d);
  }
  return {
    model: 'laconic',
    layer: input.name,
    filterBlock: request.filterBlock,
    windowBlock: request.windowBlock,
    peRows: rows,
    peCols: columns,
    unitsPerPE: lanes,
    cycles,
    storedCycles: buf.storedCycles,
    states: buf.states,
    skippedPerCycle: buf.skippedPerCycle,
    notes,
    unit: 'termPair',
  };
}

/** The tile's mapped units wait for the slower tiles at the end of the window group. */
function waitAll(
  layer: LaconicLayer,
  buf: TraceBuffer,
  d: { start: number; end: number; cols: number; f0: number },
) {
  const rowsActive = Math.min(buf.peRows, layer.prepared.K - d.f0);
  const lanes = Math.min(layer.opts.grid.lanes, layer.prepared.C);
  for (let r = 0; r < rowsActive; r++)
    for (let c = 0; c < d.cols; c++) buf.fill(r, c, 0, lanes, d.start, d.end, UnitState.Idle);
}
