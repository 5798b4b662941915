/**
 * Cycle-by-cycle trace of one Bit-Pragmatic tile (§1.7): `filterBlock` = a block of `rows` filters (one tile),
 * `windowBlock` = a window group (FC: 0). It replays the schedule of the cycle count (convSchedule /
 * brickIssueCycles over the same brick cost table), so the trace and the totals cannot disagree.
 */
import { cdiv } from '../types';
import { brickIssueCycles } from './columnSync';
import {
  convSchedule,
  fcBrickCosts,
  preparePragmatic,
  readPragmaticOptions,
  type PragmaticLayer,
} from './pragmaticCore';
import { peCycles, shifterReach } from './pragmaticPE';
import { cumulativeProgress, TraceBuffer } from './traceBuffer';
import { UnitState, type AccelLayerInput, type Params, type TileTrace, type TraceRequest } from './types';

function popcount16(x: number): number {
  let n = 0;
  for (let y = x; y !== 0; y &= y - 1) n++;
  return n;
}

interface BrickRun {
  col: number;
  /** Cycles relative to the trace start. */
  start: number;
  /** End of the busy part is start + cost; the column then waits until `end`. */
  cost: number;
  end: number;
  /** Offset of the brick's lane masks in layer.masks, and how many lanes carry real channels. */
  maskOffset: number;
  validLanes: number;
}

/** Marks one brick's run on row 0: valid lanes idle for [start, end), effectual when they retire a term. */
function drawBrick(
  layer: PragmaticLayer,
  buf: TraceBuffer,
  run: BrickRun,
  pending: Uint16Array,
  activeRows: number,
  pa: number,
) {
  const { lanes } = layer.opts.grid;
  buf.fill(0, run.col, 0, run.validLanes, run.start, run.end, UnitState.Idle);
  peCycles(
    layer.masks,
    run.maskOffset,
    lanes,
    shifterReach(layer.opts.bitsFirstStage),
    pending,
    (cycle, lane) => buf.set(run.start + cycle, 0, run.col, lane, UnitState.Effectual),
  );
  let skippedBits = 0;
  for (let l = 0; l < run.validLanes; l++)
    skippedBits += Math.max(0, pa - popcount16(layer.masks[run.maskOffset + l]));
  buf.addSkipped(run.start, skippedBits * activeRows);
}

export function pragmaticTrace(input: AccelLayerInput, params: Params, request: TraceRequest): TileTrace {
  const opts = readPragmaticOptions(params, input);
  const layer = preparePragmatic(input, opts);
  const { lanes, columns, rows } = opts.grid;
  const p = layer.prepared;
  const filterBlocks = cdiv(p.K, rows);
  const windowBlocks = layer.isFc ? 1 : layer.numGroups;
  if (
    !Number.isInteger(request.filterBlock) ||
    request.filterBlock < 0 ||
    request.filterBlock >= filterBlocks
  ) {
    throw new RangeError(`filterBlock must be in 0..${filterBlocks - 1}`);
  }
  if (
    !Number.isInteger(request.windowBlock) ||
    request.windowBlock < 0 ||
    request.windowBlock >= windowBlocks
  ) {
    throw new RangeError(`windowBlock must be in 0..${windowBlocks - 1}`);
  }
  const activeRows = Math.min(rows, p.K - request.filterBlock * rows);
  const runs: BrickRun[] = [];
  let traceStart: number;
  let traceEnd: number;
  let notes: string[];

  if (layer.isFc) {
    const costs = fcBrickCosts(layer);
    traceStart = 0;
    traceEnd = brickIssueCycles(costs, columns, 1, (k, col, start, cost) =>
      runs.push({
        col,
        start,
        cost,
        end: start + cost,
        maskOffset: k * lanes,
        validLanes: Math.min(lanes, p.C - k * lanes),
      }),
    );
    notes = ['FC: columns are independent bricks issued round-robin; one filter-set pass is shown.'];
  } else {
    const g = request.windowBlock;
    const first = g * columns;
    const count = Math.min(columns, layer.numWindows - first);
    const S = layer.stepsPerGroup;
    const before = new Float64Array(S * columns);
    const after = new Float64Array(S * columns);
    convSchedule(layer, {
      group: g,
      onStep: (step, cumBefore, cumAfter) => {
        before.set(cumBefore, step * columns);
        after.set(cumAfter, step * columns);
      },
    });
    traceStart = Infinity;
    for (let c = 0; c < count; c++) traceStart = Math.min(traceStart, before[c]);
    traceEnd = 0;
    for (let c = 0; c < columns; c++) traceEnd = Math.max(traceEnd, after[(S - 1) * columns + c]);
    for (let step = 0; step < S; step++) {
      const cg = step % layer.numCg;
      const ij = Math.floor(step / layer.numCg);
      const shift = Math.floor(ij / p.Kw) * p.Nw + (ij % p.Kw);
      for (let c = 0; c < count; c++) {
        const position = layer.bases[first + c] + shift;
        runs.push({
          col: c,
          start: before[step * columns + c] - traceStart,
          cost: layer.costs[position * layer.numCg + cg],
          end: after[step * columns + c] - traceStart,
          maskOffset: position * layer.cPad + cg * lanes,
          validLanes: Math.min(lanes, p.C - cg * lanes),
        });
      }
    }
    notes = [
      `Cycles ${traceStart}..${traceEnd} of each filter-set pass; columns may start early or run ahead (shown inactive outside this group).`,
    ];
  }

  const buf = new TraceBuffer(traceEnd - traceStart, request.maxCycles, rows, columns, lanes);
  const done = new Int32Array(buf.storedCycles * columns);
  const pending = new Uint16Array(lanes);
  for (const run of runs) {
    drawBrick(layer, buf, run, pending, activeRows, input.pa);
    const finished = run.start + run.cost - 1;
    if (finished < buf.storedCycles) done[finished * columns + run.col]++;
  }
  buf.replicateRow0(activeRows);
  return {
    model: 'pragmatic',
    layer: input.name,
    filterBlock: request.filterBlock,
    windowBlock: request.windowBlock,
    peRows: rows,
    peCols: columns,
    unitsPerPE: lanes,
    cycles: buf.cycles,
    storedCycles: buf.storedCycles,
    states: buf.states,
    skippedPerCycle: buf.skippedPerCycle,
    columnProgress: cumulativeProgress(done, buf.storedCycles, columns),
    notes,
    unit: 'term',
  };
}
