import type { LayerGeometry, LayerWork } from '../types';

export type ModelId =
  | 'dadn'
  | 'dlac'
  | 'cnvlutin'
  | 'stripes'
  | 'dstripes'
  | 'pragmatic'
  | 'laconic'
  | 'loom'
  | 'scnn'
  | 'bitfusion'
  | 'eie';

export const MODEL_IDS: readonly ModelId[] = [
  'dadn',
  'stripes',
  'dstripes',
  'pragmatic',
  'laconic',
  'loom',
  'cnvlutin',
  'scnn',
  'bitfusion',
  'eie',
  'dlac',
];

/** 'bit': one activation bit through one lane against a bit-parallel weight; 'bitProduct': 1b x 1b. */
export type WorkUnit = 'mac' | 'bit' | 'bitProduct' | 'term' | 'termPair' | 'entry';

export type ParamValue = number | boolean | string;
export type Params = Record<string, ParamValue>;

/** Declares one parameter of a model, exactly as named in accelerators.md's configuration tables. */
export interface ParamSpec {
  name: string;
  type: 'int' | 'number' | 'boolean' | 'enum';
  default: ParamValue;
  min?: number;
  max?: number;
  options?: readonly string[];
  description: string;
}

/** The LayerResult record of accelerators.md §0.3, for one image (or the mean over images). */
export interface LayerResult {
  model: ModelId;
  layer: string;
  cycles: number;
  baselineCycles: number;
  speedup: number;
  macs: number;
  effectualWork: number;
  unit: WorkUnit;
  slotsPerCycle: number;
  occupancy: number;
  /** Slot-cycles not doing effectual work: slotsPerCycle*cycles - effectualWork (idle for synchronisation, fragmentation, forced zero work). */
  idleSlots: number;
  /** Algorithmic work (in `unit`) the model recognised as ineffectual and skipped. */
  skippedWork: number;
  potential?: { bits: number; speedup: number; workReductionPct: number };
  stalls?: Record<string, number>;
  /** Model-specific extra figures (e.g. DLAC pointwiseCycles, flopsPerCycle). */
  extra?: Record<string, number>;
  degenerate?: boolean;
}

/** One image's layer, as a model sees it. */
export interface AccelLayerInput {
  name: string;
  geometry: LayerGeometry;
  act: Int32Array; // C*H*W, unpadded
  wgt: Int32Array; // K*C*Kh*Kw
  pa: number;
  pw: number;
  wb: number;
  isFirst: boolean;
  pointwiseOps?: number;
}

/** Unit states in a trace. */
export const enum UnitState {
  Inactive = 0, // nothing mapped to this unit in this tile
  Effectual = 1, // doing effectual work
  Idle = 2, // waiting for synchronisation (or forced ineffectual work, e.g. zero-count cycles)
  Ineffectual = 3, // executing work that is not effectual (padding entries, zero bits forced by width)
}

export interface TraceRequest {
  /** Which tile: index of the filter block and of the window block (model-specific enumeration). */
  filterBlock: number;
  windowBlock: number;
  /** At most this many cycles are recorded (the tile's full cycle count is still reported). */
  maxCycles: number;
}

/** Bounded cycle-by-cycle record of one tile: what every unit does each cycle. */
export interface TileTrace {
  model: ModelId;
  layer: string;
  filterBlock: number;
  windowBlock: number;
  /** Drawing layout: peRows x peCols PEs, each with unitsPerPE units (lanes, buffers, multipliers). */
  peRows: number;
  peCols: number;
  unitsPerPE: number;
  /** Cycles this tile takes in total; `storedCycles <= maxCycles` are recorded. */
  cycles: number;
  storedCycles: number;
  /** storedCycles * peRows * peCols * unitsPerPE states (UnitState), cycle-major then row, col, unit. */
  states: Uint8Array;
  /** Ineffectual work skipped during each recorded cycle (in the model's unit). */
  skippedPerCycle: Uint32Array;
  /** Optional per-cycle, per-column progress (e.g. Pragmatic's columns running ahead: steps completed). */
  columnProgress?: Int32Array; // storedCycles * peCols
  /** Optional labels of extra structures shown by the view (e.g. DLAC output buffers). */
  notes?: string[];
  unit: WorkUnit;
}

export interface AcceleratorModel {
  id: ModelId;
  name: string;
  /** One-line description of what it skips or exploits. */
  summary: string;
  params: readonly ParamSpec[];
  /** Whether the model applies to this layer (e.g. EIE only to FC unless loweredConv). */
  appliesTo(layer: LayerWork | AccelLayerInput, params: Params): boolean;
  simulate(input: AccelLayerInput, params: Params): LayerResult;
  trace?(input: AccelLayerInput, params: Params, request: TraceRequest): TileTrace;
}
