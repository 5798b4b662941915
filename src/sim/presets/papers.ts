import { defaultConfig, type QuantConfig, type SimConfig } from '../config';
import type { ModelId, ParamValue } from '../accel/types';

/** A change to the default quantisation: every group optional, each merged field by field. */
export interface QuantPatch {
  weights?: Partial<QuantConfig['weights']>;
  prune?: Partial<QuantConfig['prune']>;
  share?: Partial<QuantConfig['share']>;
  acts?: Partial<QuantConfig['acts']>;
  reluThreshold?: Partial<QuantConfig['reluThreshold']>;
  firstLayerFullPrecision?: boolean;
  lastFcFullPrecision?: boolean;
}

/**
 * A named configuration reproducing one paper's setting on the shipped models (selectable in the app and
 * with `--config preset:NAME`). Values come from accelerators.md / quantization.md; where the paper's own
 * setting is unknown the note says which reconstruction was chosen.
 */
export interface PaperPreset {
  id: string;
  title: string;
  paper: string;
  note: string;
  model: string;
  accels: ModelId[];
  params?: Record<string, ParamValue>;
  quant?: QuantPatch;
  images?: number;
}

export const PAPER_PRESETS: readonly PaperPreset[] = [
  {
    id: 'dadiannao',
    title: 'DaDianNao baseline',
    paper: 'Chen et al., MICRO 2014',
    note: '16 tiles × 16 filters × 16 lanes of 16-bit MACs, nothing skipped.',
    model: 'fmnist-resnet20',
    accels: ['dadn'],
  },
  {
    id: 'stripes',
    title: 'Stripes with 8-bit activations',
    paper: 'Judd et al., MICRO 2016',
    note: 'Bit-serial activations; the paper profiled per-layer precisions, here activations are 8-bit profiled fixed point.',
    model: 'fmnist-resnet20',
    accels: ['dadn', 'stripes'],
    quant: { acts: { bits: 8 } },
  },
  {
    id: 'dynamic-stripes',
    title: 'Dynamic Stripes (PG 16, leading bit, 1 run-ahead register)',
    paper: 'Delmas et al., arXiv 1706.00504',
    note: 'Precision detected per group of 16 activations at run time.',
    model: 'fmnist-resnet20',
    accels: ['dadn', 'stripes', 'dstripes'],
    params: {
      'dstripes.precisionGranularity': 16,
      'dstripes.leadingBit': true,
      'dstripes.columnRegisters': 1,
    },
  },
  {
    id: 'pragmatic',
    title: 'Bit-Pragmatic PRA-2b-1R',
    paper: 'Albericio et al., MICRO 2017',
    note: 'Two-stage shifter (b = 2) and one run-ahead register; 16-bit fixed point.',
    model: 'fmnist-resnet20',
    accels: ['dadn', 'stripes', 'pragmatic'],
    params: { 'pragmatic.bitsFirstStage': 2, 'pragmatic.columnRegisters': 1 },
  },
  {
    id: 'laconic',
    title: 'Laconic (ISCA-era 1 tile × 8 rows × 16 columns)',
    paper: 'Sharify et al., ISCA 2019',
    note: 'Term-pair serial on both operands; 8-bit activations and weights as in its 8b study.',
    model: 'fmnist-resnet20',
    accels: ['dadn', 'pragmatic', 'laconic'],
    params: { 'laconic.tiles': 1, 'laconic.rows': 8, 'laconic.columns': 16 },
    quant: { weights: { scheme: 'fixed', bits: 8 }, acts: { bits: 8 } },
  },
  {
    id: 'loom',
    title: 'Loom (DNNsim-style, 8-bit)',
    paper: 'Sharify et al., DAC 2018',
    note: 'Both operands bit-serial; 8-bit fixed point weights and activations.',
    model: 'fmnist-resnet20',
    accels: ['dadn', 'stripes', 'loom'],
    quant: { weights: { scheme: 'fixed', bits: 8 }, acts: { bits: 8 } },
  },
  {
    id: 'cnvlutin',
    title: 'Cnvlutin zero-activation skipping',
    paper: 'Albericio et al., ISCA 2016',
    note: 'Skips zero activations; default parameters of the specification.',
    model: 'fmnist-resnet20',
    accels: ['dadn', 'cnvlutin'],
  },
  {
    id: 'scnn',
    title: 'SCNN on TTQ ternary weights',
    paper: 'Parashar et al., ISCA 2017',
    note: 'Cartesian product of non-zero weights and activations; ternary weights give it weight sparsity.',
    model: 'fmnist-resnet20-ttq',
    accels: ['dadn', 'scnn'],
  },
  {
    id: 'bitfusion',
    title: 'Bit Fusion with 4-bit weights and activations',
    paper: 'Sharma et al., ISCA 2018',
    note: 'BitBricks fuse to 4×4-bit units; uniform symmetric 4-bit weights (first conv kept at full precision).',
    model: 'fmnist-resnet20',
    accels: ['dadn', 'bitfusion'],
    quant: { weights: { scheme: 'uniform', bits: 4 }, acts: { bits: 4 } },
  },
  {
    id: 'eie',
    title: 'EIE: pruning + 4-bit weight sharing on the FC layer',
    paper: 'Han et al., ISCA 2016',
    note: '90 % magnitude pruning per layer and 4-bit k-means codebooks (EIE format), compressed sparse columns on 64 PEs.',
    model: 'fmnist-resnet20',
    accels: ['eie'],
    quant: {
      prune: { enabled: true, mode: 'perLayer', fraction: 0.9 },
      share: { enabled: true, bitsConv: 4, bitsFc: 4, reserveZeroCode: true },
      lastFcFullPrecision: false,
    },
  },
  {
    id: 'dlac',
    title: 'DLAC: ternary weights + raised ReLU threshold',
    paper: 'Venkatesh, Nurvitadhi, Marr, ICASSP 2017',
    note: 'The DLAC-recipe model (TWN weights, ThresholdedRelu θ = 0.25) on the reconstructed 16×16 zero-skipping grid.',
    model: 'fmnist-resnet20-dlac',
    accels: ['dadn', 'dlac'],
  },
  {
    id: 'yin-cgs',
    title: 'Block sparsity (8×) with 3-bit weights',
    paper: 'Yin et al., arXiv 1804.07370',
    note: 'Coarse-grain 16×16 blocks, 8× compression, 3-bit weights applied post-training (the paper trains with the mask; accuracy drops here).',
    model: 'fmnist-resnet20',
    accels: ['dadn', 'eie', 'dlac'],
    quant: { weights: { scheme: 'cgs', cgs: { br: 16, bc: 16, compression: 8, bits: 3 } } },
  },
];

export function findPreset(id: string): PaperPreset {
  const p = PAPER_PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(`unknown preset '${id}' (presets: ${PAPER_PRESETS.map((x) => x.id).join(', ')})`);
  return p;
}

/** The full configuration of a preset: the model's defaults with the preset's changes applied. */
export function presetConfig(id: string): SimConfig {
  const p = findPreset(id);
  const config = defaultConfig(p.model);
  const q = p.quant ?? {};
  config.quant = {
    ...config.quant,
    weights: {
      ...config.quant.weights,
      ...q.weights,
      cgs: { ...config.quant.weights.cgs, ...q.weights?.cgs },
    },
    prune: { ...config.quant.prune, ...q.prune },
    share: { ...config.quant.share, ...q.share },
    acts: { ...config.quant.acts, ...q.acts },
    reluThreshold: { ...config.quant.reluThreshold, ...q.reluThreshold },
    firstLayerFullPrecision: q.firstLayerFullPrecision ?? config.quant.firstLayerFullPrecision,
    lastFcFullPrecision: q.lastFcFullPrecision ?? config.quant.lastFcFullPrecision,
  };
  config.accels = [...p.accels];
  config.params = { ...(p.params ?? {}) };
  if (p.images) config.images = p.images;
  return config;
}
