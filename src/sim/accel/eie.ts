/**
 * EIE (accelerators.md §12): sparse matrix × sparse vector on N PEs with per-PE activation queues. The cycle
 * loop of §12.2 is evaluated event by event: with b_j the cycle in which the j-th non-zero activation is
 * broadcast and c_kj = max(1, entries[k][j]) its cost in PE k,
 *   PE k starts job j at  p_kj = max(b_j + 1, p_k,j−1 + c_k,j−1)          (next cycle, once the PE is free)
 *   broadcast             b_j  = max(b_j−1 + 1, max_k p_k,j−Q)             (queue k has room once job j−Q left it)
 *   cycles                     = max_k (p_k,last + c_k,last)
 * which is exactly the number of iterations of the §12.2 loop (the tests compare both cycle by cycle).
 */
import { cdiv, layerMacs } from '../types';
import { buildEieCsc, encodeSlice, sliceLocalRows, type EieCsc } from './eieFormat';
import { padActivations } from './grid';
import { makeResult, withDefaults } from './run';
import { nonZeroMask, readBool, readInt, readNumber } from './sparseParams';
import { TraceBuffer } from './traceBuffer';
import { UnitState } from './types';
import type {
  AccelLayerInput,
  AcceleratorModel,
  LayerResult,
  ParamSpec,
  Params,
  TileTrace,
  TraceRequest,
} from './types';
import type { LayerWork } from '../types';

export const EIE_PARAMS: readonly ParamSpec[] = [
  {
    name: 'pes',
    type: 'int',
    default: 64,
    min: 1,
    max: 4096,
    description: 'Processing elements N (row i on PE i mod N)',
  },
  {
    name: 'queueDepth',
    type: 'int',
    default: 8,
    min: 1,
    max: 4096,
    description: 'Activation queue depth Q per PE',
  },
  {
    name: 'relBits',
    type: 'int',
    default: 4,
    min: 1,
    max: 16,
    description: 'Relative row index bits r (gap ≤ 2^r − 1)',
  },
  {
    name: 'weightIndexBits',
    type: 'int',
    default: 4,
    min: 1,
    max: 16,
    description: 'Codebook index bits (memory footprint only)',
  },
  {
    name: 'loweredConv',
    type: 'boolean',
    default: false,
    description: 'Also run conv layers, one matrix–vector product per output position (slow)',
  },
  {
    name: 'clockMHz',
    type: 'number',
    default: 800,
    min: 1,
    max: 10000,
    description: 'Clock for GOP/s figures',
  },
];

export interface EieMatvec {
  cycles: number;
  lower: number;
  upper: number;
  /** Cycles the broadcaster waited for a full queue. */
  queueFull: number;
  /** With `keepSchedule`: broadcast cycle of every job and start cycle of job j in PE k at [k * jobs + j]. */
  broadcast?: Int32Array;
  start?: Int32Array;
}

/** One matrix–vector product over the non-zero columns `nz[0..count)` (ascending, LNZD order). */
export function eieMatvec(
  csc: EieCsc,
  nz: ArrayLike<number>,
  count: number,
  queueDepth: number,
  keepSchedule = false,
): EieMatvec {
  if (count === 0) return { cycles: 0, lower: 0, upper: 0, queueFull: 0 };
  const { pes, cols, entries } = csc;
  const Q = Math.min(queueDepth, count);
  const ring = new Int32Array(pes * Q); // start cycle of job j in PE k at [k * Q + j % Q]
  const free = new Int32Array(pes); // first cycle PE k can pop its next job
  const busyTotal = new Float64Array(pes);
  const broadcast = keepSchedule ? new Int32Array(count) : undefined;
  const start = keepSchedule ? new Int32Array(pes * count) : undefined;
  let upper = 1;
  let b = -1;
  for (let j = 0; j < count; j++) {
    let bj = b + 1;
    if (j >= queueDepth) for (let k = 0; k < pes; k++) bj = Math.max(bj, ring[k * Q + (j % Q)]);
    b = bj;
    if (broadcast) broadcast[j] = bj;
    const col = nz[j];
    let worst = 1;
    for (let k = 0; k < pes; k++) {
      const cost = Math.max(1, entries[k * cols + col]);
      const s = Math.max(bj + 1, free[k]);
      ring[k * Q + (j % Q)] = s;
      if (start) start[k * count + j] = s;
      free[k] = s + cost;
      busyTotal[k] += cost;
      if (cost > worst) worst = cost;
    }
    upper += worst;
  }
  let cycles = 0;
  let lower = 0;
  for (let k = 0; k < pes; k++) {
    cycles = Math.max(cycles, free[k]);
    lower = Math.max(lower, 1 + busyTotal[k]);
  }
  return { cycles, lower, upper, queueFull: b - (count - 1), broadcast, start };
}

interface EieConfig {
  pes: number;
  queueDepth: number;
  relBits: number;
  loweredConv: boolean;
  clockMHz: number;
}

function readEie(params: Params): EieConfig {
  return {
    pes: readInt(EIE_PARAMS, params, 'pes'),
    queueDepth: readInt(EIE_PARAMS, params, 'queueDepth'),
    relBits: readInt(EIE_PARAMS, params, 'relBits'),
    loweredConv: readBool(EIE_PARAMS, params, 'loweredConv'),
    clockMHz: readNumber(EIE_PARAMS, params, 'clockMHz'),
  };
}

/** The layer as EIE sees it: the K × (C·Kh·Kw) matrix (an FC layer is the 1 × 1 case) and one input vector per output window */
interface EieLayer {
  csc: EieCsc;
  windows: number;
  Oh: number;
  /** Non-zero input columns of window n, ascending, written into `out`; returns how many. */
  nonZeroColumns(n: number, out: Int32Array): number;
}

function prepareEie(input: AccelLayerInput, cfg: EieConfig): EieLayer {
  const g = input.geometry;
  const D = g.C * g.Kh * g.Kw;
  const csc = buildEieCsc(input.wgt, g.K, D, cfg.pes, cfg.relBits);
  const Nh = g.H + 2 * g.pad;
  const Nw = g.W + 2 * g.pad;
  const Oh = Math.floor((Nh - g.Kh) / g.stride) + 1;
  const Ow = Math.floor((Nw - g.Kw) / g.stride) + 1;
  const mask = nonZeroMask(padActivations(input.act, g.C, g.H, g.W, g.pad));
  const nonZeroColumns = (n: number, out: Int32Array): number => {
    const oh = n % Oh;
    const ow = Math.floor(n / Oh);
    let count = 0;
    // Column order (c, i, j) is PyTorch's flatten order of the filter (§12.3).
    for (let c = 0; c < g.C; c++)
      for (let i = 0; i < g.Kh; i++) {
        const row = (c * Nh + g.stride * oh + i) * Nw + g.stride * ow;
        for (let j = 0; j < g.Kw; j++) if (mask[row + j]) out[count++] = (c * g.Kh + i) * g.Kw + j;
      }
    return count;
  };
  return { csc, windows: Oh * Ow, Oh, nonZeroColumns };
}

function simulateEie(input: AccelLayerInput, params: Params): LayerResult {
  const cfg = readEie(withDefaults(eie, params));
  const layer = prepareEie(input, cfg);
  const { csc } = layer;
  const nz = new Int32Array(csc.cols);
  let cycles = 0;
  let lower = 0;
  let upper = 0;
  let queueFull = 0;
  let effectualWork = 0;
  let paddingExecuted = 0;
  let broadcasts = 0;
  for (let n = 0; n < layer.windows; n++) {
    const count = layer.nonZeroColumns(n, nz);
    broadcasts += count;
    const r = eieMatvec(csc, nz, count, cfg.queueDepth);
    cycles += r.cycles;
    lower += r.lower;
    upper += r.upper;
    queueFull += r.queueFull;
    for (let t = 0; t < count; t++) {
      effectualWork += csc.columnNonZeros[nz[t]];
      for (let k = 0; k < csc.pes; k++)
        paddingExecuted += csc.entries[k * csc.cols + nz[t]] - csc.nonZeros[k * csc.cols + nz[t]];
    }
  }
  const macs = layerMacs(input.geometry);
  const theoreticalCycles = cdiv(effectualWork, cfg.pes);
  return makeResult({
    model: 'eie',
    layer: input.name,
    cycles,
    baselineCycles: layer.windows * cdiv(csc.rows * csc.cols, cfg.pes),
    macs,
    effectualWork,
    unit: 'entry',
    slotsPerCycle: cfg.pes,
    skippedWork: macs - effectualWork,
    stalls: { queueFull, imbalance: cycles - lower },
    extra: {
      lowerBound: lower,
      upperBound: upper,
      theoreticalCycles,
      paddingEntriesExecuted: paddingExecuted,
      executedWork: effectualWork + paddingExecuted,
      broadcasts,
      cscNnz: csc.nnz,
      cscPadding: csc.padding,
      peakGops: (cfg.pes * 2 * cfg.clockMHz) / 1000,
      gops: cycles > 0 ? (2 * effectualWork * cfg.clockMHz) / (cycles * 1000) : 0,
      timeUs: cycles / cfg.clockMHz,
    },
  });
}

const TRACE_COLUMNS = 8;

/**
 * One tile = one matrix–vector product: filterBlock 0, windowBlock = output position (0 for FC). PEs are
 * drawn TRACE_COLUMNS to a row, one unit each: Effectual on a real entry, Ineffectual on a padding entry or
 * the pointer-only cycle of an empty column, Idle while waiting for its queue; the zero activations (× M)
 * and zero weights of each broadcast column are counted as skipped in the cycle of its broadcast.
 */
function traceEie(input: AccelLayerInput, params: Params, request: TraceRequest): TileTrace {
  const cfg = readEie(withDefaults(eie, params));
  const layer = prepareEie(input, cfg);
  const { csc } = layer;
  const { filterBlock, windowBlock: n } = request;
  if (filterBlock !== 0) throw new RangeError(`trace: filterBlock ${filterBlock} out of range (EIE has one)`);
  if (!(Number.isInteger(n) && n >= 0 && n < layer.windows))
    throw new RangeError(`trace: windowBlock ${n} out of range`);
  const nz = new Int32Array(csc.cols);
  const count = layer.nonZeroColumns(n, nz);
  const r = eieMatvec(csc, nz, count, cfg.queueDepth, true);
  const peCols = Math.min(cfg.pes, TRACE_COLUMNS);
  const peRows = cdiv(cfg.pes, peCols);
  const buf = new TraceBuffer(r.cycles, request.maxCycles, peRows, peCols, 1);
  const start = r.start ?? new Int32Array(0);
  const broadcast = r.broadcast ?? new Int32Array(0);
  for (let k = 0; k < cfg.pes; k++) {
    const row = Math.floor(k / peCols);
    const col = k % peCols;
    buf.fill(row, col, 0, 1, 0, r.cycles, UnitState.Idle);
    for (let j = 0; j < count; j++) {
      const s = start[k * count + j];
      if (s >= buf.storedCycles) break;
      const real = encodeSlice(sliceLocalRows(input.wgt, csc, k, nz[j]), cfg.relBits).real;
      if (real.length === 0) buf.set(s, row, col, 0, UnitState.Ineffectual);
      for (let e = 0; e < real.length; e++)
        buf.set(s + e, row, col, 0, real[e] ? UnitState.Effectual : UnitState.Ineffectual);
    }
  }
  let previous = -1;
  for (let j = 0; j < count; j++) {
    const zeroColumns = nz[j] - previous - 1 + (j === count - 1 ? csc.cols - 1 - nz[j] : 0);
    buf.addSkipped(broadcast[j], zeroColumns * csc.rows + csc.rows - csc.columnNonZeros[nz[j]]);
    previous = nz[j];
  }
  return {
    model: 'eie',
    layer: input.name,
    filterBlock,
    windowBlock: n,
    peRows,
    peCols,
    unitsPerPE: 1,
    cycles: r.cycles,
    storedCycles: buf.storedCycles,
    states: buf.states,
    skippedPerCycle: buf.skippedPerCycle,
    notes: [
      `PE k drawn at row floor(k / ${peCols}), column k mod ${peCols}; it owns matrix rows i with i mod ${cfg.pes} = k`,
      `${count} non-zero activations broadcast; queue depth ${cfg.queueDepth}; bounds ${r.lower}..${r.upper} cycles`,
    ],
    unit: 'entry',
  };
}

export const eie: AcceleratorModel = {
  id: 'eie',
  name: 'EIE',
  summary:
    'Sparse matrix × sparse vector for compressed FC layers: skips zero weights (CSC) and zero activations.',
  params: EIE_PARAMS,
  appliesTo: (layer: LayerWork | AccelLayerInput, params: Params) =>
    layer.geometry.kind === 'fc' || readBool(EIE_PARAMS, params, 'loweredConv'),
  simulate: simulateEie,
  trace: traceEie,
};
