/**
 * Bit-Pragmatic layer schedule (accelerators.md §6.2–6.4), shared by the cycle count and the trace so that
 * both always agree.
 */
import { cdiv } from '../types';
import { termCountTable, termMaskTable, type TermEncoding } from '../terms';
import { brickCostTable, shifterReach } from './pragmaticPE';
import { columnSync, runAheadRegisters } from './columnSync';
import {
  encodingParam,
  fillDefaults,
  GRID_PARAM_SPECS,
  intParam,
  preparedMasksAndSums,
  readGrid,
  TERM_ENCODING_SPEC,
  windowBases,
  type GridShape,
  type PreparedShape,
} from './termGrid';
import type { AccelLayerInput, ParamSpec, Params } from './types';

export interface PragmaticOptions {
  grid: GridShape;
  bitsFirstStage: number;
  columnRegisters: number;
  termEncoding: TermEncoding;
}

/** Every Pragmatic parameter (accelerators.md §0.4, §6) with its spec default. */
export const PRAGMATIC_PARAMS: readonly ParamSpec[] = [
  ...GRID_PARAM_SPECS,
  {
    name: 'bitsFirstStage',
    type: 'int',
    default: 2,
    min: 0,
    max: 16,
    description:
      'First-stage shifter bits b: a lane retires a term within 2^b − 1 positions of the smallest pending one.',
  },
  {
    name: 'columnRegisters',
    type: 'int',
    default: 1,
    min: 0,
    max: 256,
    description:
      'Run-ahead registers R: how many steps a column may run ahead of the slowest (0 = lock-step).',
  },
  TERM_ENCODING_SPEC,
];

export function readPragmaticOptions(params: Params, input: AccelLayerInput): PragmaticOptions {
  const full = fillDefaults(PRAGMATIC_PARAMS, params);
  return {
    grid: readGrid(full, input),
    bitsFirstStage: intParam(full, 'bitsFirstStage', 0, 16),
    columnRegisters: intParam(full, 'columnRegisters', 0, 256),
    termEncoding: encodingParam(full),
  };
}

/** Everything the schedule needs about one layer, computed once. */
export interface PragmaticLayer {
  opts: PragmaticOptions;
  prepared: PreparedShape;
  isFc: boolean;
  numCg: number;
  cPad: number;
  /** Activation term masks, position-major [Nh·Nw][cPad]. */
  masks: Uint16Array;
  /** Σ_MACs T(a) and the MACs with a zero activation, on the original geometry (§1.8). */
  activationSums: { terms: number; zeroUses: number };
  /** PE cost per (position, channel group): index position·numCg + cg. */
  costs: Uint8Array;
  bases: Int32Array;
  numWindows: number;
  numGroups: number;
  stepsPerGroup: number;
  filterSets: number;
}

export function preparePragmatic(input: AccelLayerInput, opts: PragmaticOptions): PragmaticLayer {
  const { grid } = opts;
  const isFc = input.geometry.kind === 'fc';
  const {
    p,
    cPad,
    terms: masks,
    sums,
  } = preparedMasksAndSums(
    input,
    grid.spaceToDepth,
    grid.lanes,
    termMaskTable(opts.termEncoding),
    termCountTable(opts.termEncoding),
  );
  const numCg = cPad / grid.lanes;
  const plane = p.Nh * p.Nw;
  const costs = brickCostTable(masks, plane, cPad, grid.lanes, shifterReach(opts.bitsFirstStage));
  const numWindows = p.Oh * p.Ow;
  return {
    opts,
    prepared: p,
    isFc,
    numCg,
    cPad,
    masks,
    costs,
    activationSums: sums,
    bases: windowBases(p),
    numWindows,
    numGroups: cdiv(numWindows, grid.columns),
    stepsPerGroup: p.Kh * p.Kw * numCg,
    filterSets: cdiv(p.K, grid.rows * grid.tiles),
  };
}

/** Sees each step of one group: cum before the step's costs and after synchronisation. */
export type StepObserver = (step: number, before: Float64Array, after: Float64Array) => void;

export interface ConvSchedule {
  /** max(cum) at the end: the cycles of one filter set. */
  cyclesPerFilterSet: number;
  /** Σ over steps of the §6.3 stall statistic (one filter set). */
  syncStall: number;
}

/**
 * §6.2: window groups back to back, steps (i, j, cg), column costs from the brick cost table, columns
 * synchronised after every step; cum is never reset between groups. With `observe`, stops after that group.
 */
export function convSchedule(
  layer: PragmaticLayer,
  observe?: { group: number; onStep: StepObserver },
): ConvSchedule {
  const { prepared: p, costs, bases, numCg, opts } = layer;
  const columns = opts.grid.columns;
  const R = opts.columnRegisters;
  const cum = new Float64Array(columns);
  const before = new Float64Array(columns);
  const E = runAheadRegisters(R);
  let syncStall = 0;
  const lastGroup = observe ? observe.group : layer.numGroups - 1;
  for (let g = 0; g <= lastGroup; g++) {
    const first = g * columns;
    const count = Math.min(columns, layer.numWindows - first);
    const watch = observe !== undefined && g === observe.group;
    let step = 0;
    for (let i = 0; i < p.Kh; i++) {
      for (let j = 0; j < p.Kw; j++) {
        const shift = i * p.Nw + j;
        for (let cg = 0; cg < numCg; cg++, step++) {
          if (watch) before.set(cum);
          for (let c = 0; c < count; c++) cum[c] += costs[(bases[first + c] + shift) * numCg + cg];
          syncStall += columnSync(cum, E, R);
          if (watch) observe.onStep(step, before, cum);
        }
      }
    }
  }
  let max = 0;
  for (let c = 0; c < columns; c++) if (cum[c] > max) max = cum[c];
  return { cyclesPerFilterSet: max, syncStall };
}

/** PE cost of each FC activation brick (§6.4). */
export function fcBrickCosts(layer: PragmaticLayer): Uint8Array {
  return layer.costs.subarray(0, layer.numCg);
}
