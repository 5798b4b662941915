import type { LayerResult, ModelId, ParamValue, Params } from '../accel/types';
import { cdiv, outSize, type LayerGeometry } from '../types';
import { fpMacEnergy, intAddEnergy, type EnergyConstants } from './constants';

/**
 * What the energy model counts per layer and accelerator (accelerators.md §14) [reconstruction]: executed
 * operations, on-chip buffer traffic, and the layer shape they follow from. Only what the pipeline already has
 * is needed: geometry, precisions, the model's LayerResult and parameters, the weight footprint and
 * non-zero counts. A model may report exact figures in `LayerResult.extra` (see EXTRA_KEYS); otherwise
 * closed forms or estimates below are used, each with its assumption stated.
 */

export interface EnergyLayerInput {
  geometry: LayerGeometry;
  pa: number;
  pw: number;
  /** Precision of the layer's output activations (SRAM writes, DRAM traffic); `pa` when absent. */
  outputPrecision?: number;
  result: LayerResult;
  /** The model's parameters; the spec's defaults stand in for absent names. */
  params?: Params;
  /** Stored weights in the format this accelerator reads (e.g. EIE: its CSC). */
  weights: { n: number; nnz: number; bits: number; paddingEntries?: number };
  /** Non-zero activation codes of the unpadded layer input (mean over images). */
  nonZeroActs: number;
}

/**
 * Optional exact counts a model may put into `LayerResult.extra`; used instead of the estimates here.
 * executedWork: executed work in `result.unit` incl. forced work (zero-count cycles, padding entries);
 * paddingEntriesExecuted: EIE padding entries executed (reported by src/sim/accel/eie.ts); broadcasts: EIE
 * non-zero activations broadcast (Σ over windows).
 */
export const EXTRA_KEYS = ['executedWork', 'paddingEntriesExecuted', 'broadcasts'] as const;

export type OpKind = 'mac16' | 'bitProduct' | 'termPair' | 'fpMac' | 'accumulate';

export interface OpCount {
  kind: OpKind;
  /** Operand width the unit energy refers to, for display (e.g. 16 for mac16, 32 for an FP32 MAC). */
  bits: number;
  count: number;
  /** pJ per operation. */
  unitEnergy: number;
  label: string;
}

export type BufferKind = 'activations' | 'weights' | 'metadata' | 'accumulators' | 'outputs';

export interface BufferTraffic {
  buffer: BufferKind;
  sizeKB: number;
  bits: number;
  label: string;
}

export interface LayerCounts {
  ops: OpCount[];
  sram: BufferTraffic[];
  /** Compulsory off-chip bits: weights once, input and output activations once. */
  dramBits: { weights: number; inputActs: number; outputActs: number };
}

const LANES = 16;
const GRID_FILTERS = 256; // ROWS · TILES
const GRID_COLUMNS = 16;

export function countLayerWork(input: EnergyLayerInput, c: EnergyConstants): LayerCounts {
  const { geometry: g, result } = input;
  const shape = layerShape(g);
  const outBits = input.outputPrecision ?? input.pa;
  const counts = modelCounts(result.model, input, shape, c);
  counts.sram.push({
    buffer: 'outputs',
    sizeKB: c.activationBufferKB,
    bits: g.K * shape.windows * outBits,
    label: 'output activations written once',
  });
  return {
    ...counts,
    dramBits: {
      weights: input.weights.bits,
      inputActs: g.C * g.H * g.W * input.pa,
      outputActs: g.K * shape.windows * outBits,
    },
  };
}

interface LayerShape {
  windows: number;
  /** Reduction length per window, C·Kh·Kw. */
  depth: number;
  macs: number;
}

function layerShape(g: LayerGeometry): LayerShape {
  const windows =
    g.kind === 'fc' ? 1 : outSize(g.H, g.Kh, g.stride, g.pad) * outSize(g.W, g.Kw, g.stride, g.pad);
  const depth = g.C * g.Kh * g.Kw;
  return { windows, depth, macs: g.K * windows * depth };
}

type ModelCounts = Omit<LayerCounts, 'dramBits'>;

function modelCounts(
  model: ModelId,
  input: EnergyLayerInput,
  shape: LayerShape,
  c: EnergyConstants,
): ModelCounts {
  switch (model) {
    case 'dadn':
    case 'stripes':
    case 'dstripes':
    case 'pragmatic':
    case 'laconic':
    case 'loom':
      return gridCounts(model, input, shape, c);
    case 'bitfusion':
      return bitFusionCounts(input, shape, c);
    case 'cnvlutin':
      return cnvlutinCounts(input, c);
    case 'scnn':
      return scnnCounts(input, c);
    case 'eie':
      return eieCounts(input, shape, c);
    case 'dlac':
      return dlacCounts(input, shape, c);
  }
}

/** Reduction geometry the grid sees: after §1.4 space-to-depth on a qualifying first layer. */
function gridReduction(g: LayerGeometry, spaceToDepth: boolean): { C: number; Kh: number; Kw: number } {
  if (spaceToDepth && g.kind === 'conv' && g.C === 3 && g.stride > 1) {
    const s = g.stride;
    return { C: g.C * s * s, Kh: cdiv(g.Kh, s), Kw: cdiv(g.Kw, s) };
  }
  return { C: g.C, Kh: g.Kh, Kw: g.Kw };
}

function mac16(count: number, c: EnergyConstants, label: string): OpCount {
  return { kind: 'mac16', bits: 16, count, unitEnergy: 256 * c.bitProduct, label };
}

function bitProducts(count: number, c: EnergyConstants, label: string): OpCount {
  return { kind: 'bitProduct', bits: 1, count, unitEnergy: c.bitProduct, label };
}

function accumulations(count: number, c: EnergyConstants, label: string): OpCount {
  return {
    kind: 'accumulate',
    bits: c.accumulatorBits,
    count,
    unitEnergy: intAddEnergy(c.accumulatorBits, c),
    label,
  };
}

function executedWork(result: LayerResult): number {
  return result.extra?.executedWork ?? result.effectualWork;
}

/**
 * The 16 × 16 × 16 (× 16 columns) grid family. Per step each active column reads one activation brick
 * (16·Pa bits) and each active row of each active tile one weight brick (16·Pw bits); one accumulation per
 * (filter, window, step) — the reduction inside a brick and the serial shift-adds are in the unit energy's
 * adder-tree share. Value-agnostic models execute every product on active lanes, including the zero-weight
 * slots the first-layer transform adds; data-dependent ones use the model's work (a lower bound on forced
 * work unless the model reports `extra.executedWork`).
 */
function gridCounts(
  model: ModelId,
  input: EnergyLayerInput,
  shape: LayerShape,
  c: EnergyConstants,
): ModelCounts {
  const { geometry: g, pa, pw, params, result } = input;
  const red = gridReduction(g, boolParam(params, 'firstLayerSpaceToDepth', true));
  const steps = red.Kh * red.Kw * cdiv(red.C, LANES);
  const activeMacs = g.K * shape.windows * red.Kh * red.Kw * red.C;
  let columns = GRID_COLUMNS;
  let filtersPerPass = GRID_FILTERS;
  const ops: OpCount[] = [];
  switch (model) {
    case 'dadn':
      columns = 1;
      ops.push(mac16(activeMacs, c, '16-bit MACs on active lanes (= 256 bit products each)'));
      break;
    case 'stripes': {
      const bitsPe = numParam(params, 'bitsPe', 16);
      columns = Math.floor(GRID_COLUMNS / cdiv(pa, bitsPe));
      filtersPerPass = Math.floor(GRID_FILTERS / cdiv(pw, bitsPe));
      ops.push(bitProducts(activeMacs * pa * pw, c, 'bit products: MACs on active lanes · Pa · Pw'));
      break;
    }
    case 'dstripes':
      ops.push(bitProducts(executedWork(result) * pw, c, 'bit products: activation bits (own widths) · Pw'));
      break;
    case 'pragmatic':
      ops.push(bitProducts(executedWork(result) * pw, c, 'bit products: activation terms · Pw'));
      break;
    case 'laconic':
      ops.push({
        kind: 'termPair',
        bits: 4,
        count: executedWork(result),
        unitEnergy: c.laconicTermPair,
        label: 'term pairs T(a)·T(w)',
      });
      break;
    case 'loom':
      ops.push(bitProducts(executedWork(result), c, 'bit products: activation widths · weight widths'));
      break;
  }
  const filterSets = cdiv(g.K, filtersPerPass);
  const windowGroups = cdiv(shape.windows, columns);
  ops.push(
    accumulations(
      g.K * shape.windows * steps,
      c,
      'partial-sum accumulations, one per filter, window and step',
    ),
  );
  return {
    ops,
    sram: [
      {
        buffer: 'activations',
        sizeKB: c.activationBufferKB,
        bits: filterSets * shape.windows * steps * LANES * pa,
        label: 'activation bricks (16·Pa bits) per active column and step, every filter set',
      },
      {
        buffer: 'weights',
        sizeKB: c.weightBufferKB,
        bits: windowGroups * steps * g.K * LANES * pw,
        label: 'weight bricks (16·Pw bits) per active row and step, every window group',
      },
    ],
  };
}

/**
 * Bit Fusion (§11): each cycle a vector of N·pf activations meets M filters. Bit products per MAC are
 * pow2ceil(Pa)·pow2ceil(Pw) with operands widened to pmin; 16-bit operands are time-multiplexed 8-bit ones,
 * which gives the same count.
 */
function bitFusionCounts(input: EnergyLayerInput, shape: LayerShape, c: EnergyConstants): ModelCounts {
  const { geometry: g, pa, pw, params } = input;
  const M = numParam(params, 'M', 32);
  const N = numParam(params, 'N', 16);
  const pmax = numParam(params, 'pmax', 8);
  const pmin = numParam(params, 'pmin', 2);
  const im2col = strParam(params, 'firstLayer', 'spaceToDepth') === 'im2col';
  const pf =
    Math.floor(pmax / Math.max(Math.min(pa, pmax), pmin)) *
    Math.floor(pmax / Math.max(Math.min(pw, pmax), pmin));
  const tm = (pa > pmax ? 2 : 1) * (pw > pmax ? 2 : 1);
  const firstTransform = g.kind === 'conv' && g.C === 3 && g.stride > 1;
  const red = gridReduction(g, !im2col);
  const groups =
    im2col && firstTransform ? cdiv(g.C * g.Kh * g.Kw, N * pf) : red.Kh * red.Kw * cdiv(red.C, N * pf);
  const activeMacs = g.K * shape.windows * red.Kh * red.Kw * red.C;
  const width = (p: number) => pow2ceil(Math.max(p, pmin));
  return {
    ops: [
      bitProducts(
        activeMacs * width(pa) * width(pw),
        c,
        'bit products: MACs on active lanes · pow2ceil(Pa) · pow2ceil(Pw)',
      ),
      accumulations(
        g.K * shape.windows * groups * tm,
        c,
        'partial-sum accumulations, one per filter, window and vector',
      ),
    ],
    sram: [
      {
        buffer: 'activations',
        sizeKB: c.activationBufferKB,
        bits: cdiv(g.K, M) * shape.windows * groups * N * pf * pa,
        label: 'activation vectors (N·pf operands) per filter group',
      },
      {
        buffer: 'weights',
        sizeKB: c.weightBufferKB,
        bits: shape.windows * groups * g.K * N * pf * pw,
        label: 'weight vectors (N·pf operands) per filter and window',
      },
    ],
  };
}

/**
 * Cnvlutin (§9): each non-zero activation of a window is read once per filter set with its brick offset and
 * meets one weight per filter, so weights read = executed MACs. effectualWork / K = Σ_windows nnz(window).
 */
function cnvlutinCounts(input: EnergyLayerInput, c: EnergyConstants): ModelCounts {
  const { geometry: g, pa, pw, result } = input;
  const macs = executedWork(result);
  const filterSets = cdiv(g.K, GRID_FILTERS);
  return {
    ops: [
      mac16(macs, c, 'executed 16-bit MACs (non-zero activations)'),
      accumulations(macs, c, 'one accumulation per product'),
    ],
    sram: [
      {
        buffer: 'activations',
        sizeKB: c.activationBufferKB,
        bits: filterSets * (macs / g.K) * (pa + c.cnvlutinOffsetBits),
        label: 'non-zero activations with offsets, per window and filter set',
      },
      { buffer: 'weights', sizeKB: c.weightBufferKB, bits: macs * pw, label: 'one weight per executed MAC' },
    ],
  };
}

/**
 * SCNN (§10): compressed activations are re-read for every output-channel group of Kc filters, compressed
 * weights once; every product updates an accumulator bank entry (read and write). Products that fall outside
 * the output are not in effectualWork (a lower bound unless `extra.executedWork`).
 */
function scnnCounts(input: EnergyLayerInput, c: EnergyConstants): ModelCounts {
  const { geometry: g, pa, pw, params, result, weights, nonZeroActs } = input;
  const peGrid = numParam(params, 'peGrid', 8);
  const accEntries = numParam(params, 'accEntries', 1024);
  const oh = g.kind === 'fc' ? 1 : outSize(g.H, g.Kh, g.stride, g.pad);
  const ow = g.kind === 'fc' ? 1 : outSize(g.W, g.Kw, g.stride, g.pad);
  const kc = Math.max(1, Math.floor(accEntries / (cdiv(oh, peGrid) * cdiv(ow, peGrid))));
  const products = executedWork(result);
  return {
    ops: [
      mac16(products, c, 'executed 16-bit products (both operands non-zero)'),
      accumulations(products, c, 'one scatter-accumulation per product'),
    ],
    sram: [
      {
        buffer: 'activations',
        sizeKB: c.activationBufferKB,
        bits: cdiv(g.K, kc) * nonZeroActs * (pa + c.scnnIndexBits),
        label: 'non-zero activations with indices, once per output-channel group',
      },
      {
        buffer: 'weights',
        sizeKB: c.weightBufferKB,
        bits: weights.nnz * (pw + c.scnnIndexBits),
        label: 'non-zero weights with indices, once',
      },
      {
        buffer: 'accumulators',
        sizeKB: c.accumulatorBufferKB,
        bits: 2 * products * c.accumulatorBits,
        label: 'accumulator read and write per product',
      },
    ],
  };
}

/**
 * EIE (§12): per broadcast (non-zero activation) every PE reads two 16-bit pointers and its entries of that
 * column (real and padding, index + relative index). Padding executed is estimated as effectual entries ·
 * padding/nnz of the layer's CSC (uniform spread over columns); lowered conv broadcasts as windows · depth ·
 * input density (padded zeros counted as dense), unless the model reports them.
 */
function eieCounts(input: EnergyLayerInput, shape: LayerShape, c: EnergyConstants): ModelCounts {
  const { geometry: g, pa, params, result, weights, nonZeroActs } = input;
  const pes = numParam(params, 'pes', 64);
  const relBits = numParam(params, 'relBits', 4);
  const weightIndexBits = numParam(params, 'weightIndexBits', 4);
  const real = result.effectualWork;
  const padding =
    result.extra?.paddingEntriesExecuted ??
    (weights.paddingEntries !== undefined && weights.nnz > 0
      ? (real * weights.paddingEntries) / weights.nnz
      : 0);
  const entries = result.extra?.executedWork ?? real + padding;
  const inputs = g.C * g.H * g.W;
  const broadcasts =
    result.extra?.broadcasts ??
    (g.kind === 'fc' ? nonZeroActs : (shape.windows * shape.depth * nonZeroActs) / Math.max(inputs, 1));
  return {
    ops: [
      mac16(entries, c, 'executed entries (real + padding), one 16-bit MAC each'),
      accumulations(entries, c, 'one accumulation per entry'),
    ],
    sram: [
      {
        buffer: 'activations',
        sizeKB: c.activationBufferKB,
        bits: broadcasts * pa,
        label: 'non-zero activations broadcast',
      },
      {
        buffer: 'weights',
        sizeKB: c.weightBufferKB,
        bits: entries * (weightIndexBits + relBits),
        label: 'CSC entries read (codebook index + relative index)',
      },
      {
        buffer: 'metadata',
        sizeKB: c.weightBufferKB,
        bits: broadcasts * pes * 2 * 16,
        label: 'column pointers p_j, p_j+1 per PE and broadcast',
      },
    ],
  };
}

/**
 * DLAC (§13): FP multiply-add per effectual MAC. Weights are broadcast along PE rows (read once per window
 * block), activations along columns (once per filter block); operands are streamed compressed (non-zeros at the
 * FP width) with a 1-bit non-zero mask per dense position as metadata.
 */
function dlacCounts(input: EnergyLayerInput, shape: LayerShape, c: EnergyConstants): ModelCounts {
  const { geometry: g, params, result, weights, nonZeroActs } = input;
  const R = numParam(params, 'rows', 16);
  const Cg = numParam(params, 'cols', 16);
  const B = numParam(params, 'buffersPerPE', 8);
  const units = numParam(params, 'unitsPerPE', 2);
  const fpBits: 16 | 32 = units === 1 ? 16 : 32; // §13: U = 1 is the FP16 inference mode, U = 2 FP32
  const filtersPerPE = strParam(params, 'mapping', 'windowsPerPE') === 'filtersPerPE';
  const filterBlocks = cdiv(g.K, filtersPerPE ? R * B : R);
  const windowBlocks = cdiv(shape.windows, filtersPerPE ? Cg : Cg * B);
  const weightDensity = weights.n > 0 ? weights.nnz / weights.n : 0;
  const actDensity = nonZeroActs / Math.max(g.C * g.H * g.W, 1);
  const weightPositions = windowBlocks * g.K * shape.depth;
  const actPositions = filterBlocks * shape.windows * shape.depth;
  return {
    ops: [
      {
        kind: 'fpMac',
        bits: fpBits,
        count: executedWork(result),
        unitEnergy: fpMacEnergy(fpBits, c),
        label: `effectual FP${fpBits} multiply-adds`,
      },
    ],
    sram: [
      {
        buffer: 'activations',
        sizeKB: c.activationBufferKB,
        bits: actPositions * actDensity * fpBits,
        label: 'non-zero activations, once per filter block',
      },
      {
        buffer: 'weights',
        sizeKB: c.weightBufferKB,
        bits: weightPositions * weightDensity * fpBits,
        label: 'non-zero weights, once per window block',
      },
      {
        buffer: 'metadata',
        sizeKB: c.weightBufferKB,
        bits: weightPositions + actPositions,
        label: '1-bit non-zero masks of both operands',
      },
    ],
  };
}

function pow2ceil(v: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(v, 1)));
}

function numParam(params: Params | undefined, name: string, fallback: number): number {
  const v: ParamValue | undefined = params?.[name];
  return typeof v === 'number' ? v : fallback;
}

function boolParam(params: Params | undefined, name: string, fallback: boolean): boolean {
  const v = params?.[name];
  return typeof v === 'boolean' ? v : fallback;
}

function strParam(params: Params | undefined, name: string, fallback: string): string {
  const v = params?.[name];
  return typeof v === 'string' ? v : fallback;
}
