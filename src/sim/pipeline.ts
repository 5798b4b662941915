import type { SimConfig } from './config';
import type { LayerReport, SimReport, TotalsReport } from './report';
import { layerMacs, type LayerWork } from './types';
import type { ModelId, TileTrace, TraceRequest } from './accel/types';
import { ACCELERATORS, paramsFor, simulateLayer, withDefaults, layerInput } from './accel';
import { loadOnnxModel, type NetworkModel, type LoadOptions } from './model';
import { createEngine, top1, type Engine } from './infer';
import { networkWidth, quantizeActivations, quantizeNetworkWeights, type QuantizedTensor } from './quant';
import { sliceDataset } from './dataset';
import {
  meanTerms,
  pairTermHistogram,
  termHistogram,
  termPairBits,
  valueHistogram,
  zeroFraction,
} from './layerStats';
import { syntheticNetwork } from './synthetic';
import { weightShape } from './energy';
import { layerStorage, storageTotals } from './reportStorage';
import { energyTotals, layerEnergyReports } from './reportEnergy';

export { parseDataset } from './dataset';

/** A labelled image set (the shipped Fashion-MNIST subset): images normalised, NCHW float32. */
export interface Dataset {
  count: number;
  shape: [number, number, number]; // C, H, W
  images: Float32Array; // count*C*H*W, normalised as the model expects
  labels: Uint8Array;
}

/** What the pipeline needs besides the configuration. The worker fetches these; the CLI reads files. */
export interface PipelineInputs {
  /** ONNX bytes of the model; null for the synthetic presets (resnet18/34/50-synthetic). */
  modelBytes: Uint8Array | null;
  dataset?: Dataset;
  /** Learned TTQ scales sidecar, when a model ships one. */
  ttqScales?: Record<string, { wp: number; wn: number; t?: number }>;
  /** Caps on the model file (file size, MACs, tensor size). */
  limits?: LoadOptions;
  /** Shown in the report's model.source (file name or URL). */
  source?: string;
}

export interface Progress {
  stage: 'load' | 'inference' | 'quantize' | 'simulate' | 'accuracy';
  /** 0..1 within the stage. */
  fraction: number;
  message: string;
}

export interface PipelineHooks {
  onProgress?: (p: Progress) => void;
  /**
   * Layers of the report already computed elsewhere (the app's pool of workers), by layer index:
   * simulateNetwork uses them instead of simulating those layers again. Each must be what
   * simulateLayerReport gives for the same prepared network and configuration.
   */
  precomputed?: ReadonlyArray<LayerReport | undefined>;
}

/** Histograms and term statistics of one layer for the quantisation and bit-serial views. */
export interface LayerDetails {
  name: string;
  weightHistogramFloat: { edges: number[]; counts: number[] };
  weightHistogramQuant: { edges: number[]; counts: number[] };
  /** Threshold lines to draw on the float histogram (e.g. ±Δ of TWN/TTQ), with labels. */
  thresholds: Array<{ value: number; label: string }>;
  /** Histograms indexed by term count 0..max: terms per activation / per weight / per (activation, weight) pair. */
  termsPerAct: number[];
  termsPerWeight: number[];
  termsPerPair: number[];
  weightSparsity: number;
  actSparsity: number;
  quantMeta: Record<string, number | string>;
}

/** Everything computed before the accelerator models run; cached by the worker per (model, images, quant). */
export interface PreparedNetwork {
  config: SimConfig;
  model: SimReport['model'];
  layers: LayerWork[];
  floatWeights: Float32Array[];
  quantized: QuantizedTensor[];
  /** Fixed-point profile (mag incl. sign, frac) of each layer's activation codes: value = code * 2^-frac. */
  actProfiles: Array<{ mag: number; frac: number }>;
  accuracy?: { images: number; float: number; quantized: number };
}

/** Layer names follow the framework's module names when the file keeps them ("layers.0.conv1.weight" -> "layers.0.conv1"). */
function layerName(weightName: string, fallback: string): string {
  return weightName.endsWith('.weight') ? weightName.slice(0, -'.weight'.length) : fallback;
}

function flattenMeta(meta: QuantizedTensor['meta']): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(meta)) if (!Array.isArray(v)) out[k] = v;
  return out;
}

/** The dequantised weights the forward pass should use, for layers whose values changed. */
function weightOverrides(net: NetworkModel, quantized: QuantizedTensor[]): Map<string, Float32Array> {
  const map = new Map<string, Float32Array>();
  net.layers.forEach((layer, i) => {
    const q = quantized[i].values;
    const w = layer.weights;
    for (let k = 0; k < w.length; k++)
      if (q[k] !== w[k]) {
        map.set(layer.name, q);
        return;
      }
  });
  return map;
}

/**
 * Parsed models with their inference engine, by the bytes they were read from. The app's worker keeps one
 * byte array per file, so a new quantisation of the same model skips parsing the ONNX file and packing
 * its weights again; neither is ever modified after loading, and the engine's results do not depend on
 * what it ran before.
 */
const loadedModels = new WeakMap<
  Uint8Array,
  { limits: LoadOptions | undefined; net: NetworkModel; engine: Engine }
>();

function loadedModel(bytes: Uint8Array, limits: LoadOptions | undefined) {
  const hit = loadedModels.get(bytes);
  if (hit && hit.limits === limits) return hit;
  const net = loadOnnxModel(bytes, limits);
  const entry = { limits, net, engine: createEngine(net) };
  loadedModels.set(bytes, entry);
  return entry;
}

function loadNetwork(config: SimConfig, inputs: PipelineInputs) {
  if (!inputs.modelBytes) throw new Error(`model '${config.model}' needs an ONNX file`);
  const { net, engine } = loadedModel(inputs.modelBytes, inputs.limits);
  const layers = net.layers.map((l) => ({
    name: l.name,
    kind: l.kind,
    shape:
      l.kind === 'fc'
        ? [l.geometry.K, l.geometry.C]
        : [l.geometry.K, l.geometry.C, l.geometry.Kh, l.geometry.Kw],
    weights: l.weights,
    isFirst: l.isFirst,
    isLast: l.isLast,
  }));
  return { net, layers, engine };
}

function checkDatasetFits(net: NetworkModel, dataset: Dataset): void {
  const [, C, H, W] = net.inputShape;
  const [dc, dh, dw] = dataset.shape;
  if (C !== dc || H !== dh || W !== dw)
    throw new Error(`the model expects ${C}x${H}x${W} inputs but the test images are ${dc}x${dh}x${dw}`);
}

/** Loads, runs the forward pass on the configured images, and quantises weights and activations. */
export function prepareNetwork(
  config: SimConfig,
  inputs: PipelineInputs,
  hooks: PipelineHooks = {},
): PreparedNetwork {
  const progress = hooks.onProgress ?? (() => {});
  if (config.model.endsWith('-synthetic')) {
    progress({ stage: 'load', fraction: 0, message: `generating synthetic tensors for ${config.model}` });
    return syntheticNetwork(config);
  }
  progress({ stage: 'load', fraction: 0, message: 'loading model' });
  const { net, layers, engine } = loadNetwork(config, inputs);
  if (!inputs.dataset)
    throw new Error('no test images: the shipped dataset (fmnist-test.bin) is required for a real model');
  checkDatasetFits(net, inputs.dataset);
  progress({ stage: 'quantize', fraction: 0, message: 'quantising weights' });
  const quantized = quantizeNetworkWeights(layers, config.quant, {
    seed: config.seed,
    ttqScales: inputs.ttqScales,
  });
  const overrides = weightOverrides(net, quantized);
  const { images, labels, n } = sliceDataset(inputs.dataset, config.imageOffset, config.images);
  if (n === 0)
    throw new Error(
      `image offset ${config.imageOffset} is beyond the ${inputs.dataset.count} shipped test images`,
    );
  progress({ stage: 'inference', fraction: 0, message: `forward pass on ${n} image(s)` });
  const reluThreshold = config.quant.reluThreshold.enabled
    ? { mode: config.quant.reluThreshold.mode, theta: config.quant.reluThreshold.theta }
    : undefined;
  const quantRun = engine.run(images, n, {
    captureLayerInputs: true,
    weightOverrides: overrides,
    reluThreshold,
  });
  const floatRun = overrides.size || reluThreshold ? engine.run(images, n) : quantRun;
  const accuracy = {
    images: n,
    float: top1(floatRun.logits, floatRun.classes, labels) / n,
    quantized: top1(quantRun.logits, quantRun.classes, labels) / n,
  };
  const wb = networkWidth(config.quant);
  const actProfiles: PreparedNetwork['actProfiles'] = [];
  const work: LayerWork[] = net.layers.map((l, i) => {
    progress({
      stage: 'quantize',
      fraction: i / net.layers.length,
      message: `quantising activations of ${l.name}`,
    });
    const x = quantRun.layerInputs!.get(l.name)!;
    const qa = quantizeActivations(x, config.quant.acts);
    actProfiles.push({ mag: qa.mag, frac: qa.frac });
    const per = x.length / n;
    return {
      name: layerName(l.weightName, l.name),
      index: i,
      geometry: l.geometry,
      weights: quantized[i].codes,
      acts: Array.from({ length: n }, (_, k) => qa.codes.slice(k * per, (k + 1) * per)),
      pa: qa.precision,
      pw: quantized[i].precision,
      wb,
      isFirst: l.isFirst,
      synthetic: false,
      pointwiseOps: l.pointwiseOps,
    };
  });
  return {
    config,
    model: {
      name: config.model,
      synthetic: false,
      source: inputs.source ?? config.model,
      inputShape: [...net.inputShape],
    },
    layers: work,
    floatWeights: net.layers.map((l) => l.weights),
    quantized,
    actProfiles,
    accuracy,
  };
}

/** Top-1 of the float and the quantised network on `n` images, in batches, with progress. */
export function evaluateAccuracy(
  config: SimConfig,
  inputs: PipelineInputs,
  n: number,
  hooks: PipelineHooks = {},
  batch = 50,
): { images: number; float: number; quantized: number } {
  if (!inputs.dataset) throw new Error('no test images to measure accuracy on');
  const { net, layers, engine } = loadNetwork(config, inputs);
  checkDatasetFits(net, inputs.dataset);
  const quantized = quantizeNetworkWeights(layers, config.quant, {
    seed: config.seed,
    ttqScales: inputs.ttqScales,
  });
  const overrides = weightOverrides(net, quantized);
  const reluThreshold = config.quant.reluThreshold.enabled
    ? { mode: config.quant.reluThreshold.mode, theta: config.quant.reluThreshold.theta }
    : undefined;
  const { images, labels, n: total } = sliceDataset(inputs.dataset, config.imageOffset, n);
  const per = images.length / Math.max(total, 1);
  let okFloat = 0;
  let okQuant = 0;
  for (let s = 0; s < total; s += batch) {
    const m = Math.min(batch, total - s);
    const x = images.subarray(s * per, (s + m) * per);
    const y = labels.subarray(s, s + m);
    const f = engine.run(x, m);
    okFloat += top1(f.logits, f.classes, y);
    const q =
      overrides.size || reluThreshold ? engine.run(x, m, { weightOverrides: overrides, reluThreshold }) : f;
    okQuant += top1(q.logits, q.classes, y);
    hooks.onProgress?.({
      stage: 'accuracy',
      fraction: (s + m) / total,
      message: `${s + m} / ${total} images`,
    });
  }
  return { images: total, float: okFloat / Math.max(total, 1), quantized: okQuant / Math.max(total, 1) };
}

function nonZeroCount(codes: ArrayLike<number>): number {
  let nnz = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] !== 0) nnz++;
  return nnz;
}

function layerReport(p: PreparedNetwork, i: number): Omit<LayerReport, 'results' | 'storage' | 'energy'> {
  const w = p.layers[i];
  const macs = layerMacs(w.geometry);
  const acts = w.acts;
  const q = p.quantized[i];
  return {
    name: w.name,
    kind: w.geometry.kind,
    index: w.index,
    geometry: w.geometry,
    macs,
    synthetic: w.synthetic,
    pa: w.pa,
    pw: w.pw,
    wb: w.wb,
    weightSparsity: zeroFraction(w.weights),
    actSparsity: acts.reduce((s, a) => s + zeroFraction(a), 0) / acts.length,
    nonZeroActs: acts.reduce((s, a) => s + nonZeroCount(a), 0) / acts.length,
    meanTermsPerWeight: meanTerms(w.weights),
    meanTermsPerAct: acts.reduce((s, a) => s + meanTerms(a), 0) / acts.length,
    // Ratio of means over the images, like every potential (accelerators.md §0.3), never a mean of ratios.
    termPotential:
      (macs * w.wb * w.wb) /
      Math.max(acts.reduce((s, a) => s + termPairBits(w.geometry, a, w.weights), 0) / acts.length, 1),
    weightScheme: q ? String(q.scheme) : 'synthetic',
    quantMeta: q ? flattenMeta(q.meta) : {},
  };
}

/**
 * Layer `i` of the report: every configured model that applies to it, its code statistics, storage and
 * energy. A pure function of the prepared network and the configuration, so the app's pool of workers
 * runs it for several layers at once and simulateNetwork takes the results as `precomputed`.
 */
export function simulateLayerReport(prepared: PreparedNetwork, config: SimConfig, i: number): LayerReport {
  const work = prepared.layers[i];
  const results: LayerReport['results'] = {};
  for (const id of config.accels) {
    const model = ACCELERATORS[id];
    const params = withDefaults(model, paramsFor(id, config.params));
    if (!model.appliesTo(work, params)) continue;
    results[id] = simulateLayer(model, work, params);
  }
  const base = layerReport(prepared, i);
  const storage = layerStorage(
    base,
    work.weights,
    weightShape(work.geometry),
    config,
    prepared.quantized[i]?.codebookIndex,
  );
  const layer = { ...base, results, storage };
  return { ...layer, energy: layerEnergyReports(layer, config) };
}

/** Runs the configured accelerator models on every layer and adds the network totals. */
export function simulateNetwork(
  prepared: PreparedNetwork,
  config: SimConfig,
  hooks: PipelineHooks = {},
): SimReport {
  const layers: LayerReport[] = prepared.layers.map((work, i) => {
    hooks.onProgress?.({
      stage: 'simulate',
      fraction: i / prepared.layers.length,
      message: `simulating ${work.name}`,
    });
    return hooks.precomputed?.[i] ?? simulateLayerReport(prepared, config, i);
  });
  const totals: TotalsReport = {
    macs: layers.reduce((s, l) => s + l.macs, 0),
    results: {},
    storage: storageTotals(layers.map((l) => l.storage)),
    energy: energyTotals(layers, config.accels),
  };
  for (const id of config.accels) {
    let cycles = 0;
    let baselineCycles = 0;
    let effectualWork = 0;
    let any = false;
    for (const l of layers) {
      const r = l.results[id];
      if (!r) continue;
      any = true;
      cycles += r.cycles;
      baselineCycles += r.baselineCycles;
      effectualWork += r.effectualWork;
    }
    if (any)
      totals.results[id] = {
        cycles,
        baselineCycles,
        speedup: baselineCycles / Math.max(cycles, 1),
        effectualWork,
      };
  }
  hooks.onProgress?.({ stage: 'simulate', fraction: 1, message: 'done' });
  const report: SimReport = {
    tool: 'effectual',
    formatVersion: 1,
    config,
    model: prepared.model,
    layers,
    totals,
  };
  if (prepared.accuracy) report.accuracy = prepared.accuracy;
  return report;
}

/** prepareNetwork + simulateNetwork. */
export function runPipeline(config: SimConfig, inputs: PipelineInputs, hooks?: PipelineHooks): SimReport {
  return simulateNetwork(prepareNetwork(config, inputs, hooks), config, hooks);
}

function findLayer(prepared: PreparedNetwork, layer: string): number {
  const i = prepared.layers.findIndex((l) => l.name === layer);
  if (i < 0)
    throw new Error(`no layer named '${layer}' (layers: ${prepared.layers.map((l) => l.name).join(', ')})`);
  return i;
}

/** Cycle-by-cycle record of one tile of one layer (first configured image), from the model's own code path. */
export function traceTile(
  prepared: PreparedNetwork,
  config: SimConfig,
  layer: string,
  modelId: ModelId,
  request: TraceRequest,
): TileTrace {
  const model = ACCELERATORS[modelId];
  if (!model.trace) throw new Error(`${model.name} has no cycle-by-cycle trace`);
  const work = prepared.layers[findLayer(prepared, layer)];
  const params = withDefaults(model, paramsFor(modelId, config.params));
  if (!model.appliesTo(work, params)) throw new Error(`${model.name} does not apply to layer ${layer}`);
  return model.trace(layerInput(work, 0), params, request);
}

function thresholdLines(meta: Record<string, number | string>): Array<{ value: number; label: string }> {
  const delta = typeof meta.delta === 'number' ? meta.delta : undefined;
  return delta !== undefined && delta > 0
    ? [
        { value: -delta, label: '−Δ' },
        { value: delta, label: '+Δ' },
      ]
    : [];
}

export function layerDetails(prepared: PreparedNetwork, layer: string): LayerDetails {
  const i = findLayer(prepared, layer);
  const w = prepared.layers[i];
  const q = prepared.quantized[i];
  const meta = q ? flattenMeta(q.meta) : {};
  return {
    name: w.name,
    weightHistogramFloat: valueHistogram(prepared.floatWeights[i]),
    weightHistogramQuant: valueHistogram(q ? q.values : prepared.floatWeights[i]),
    thresholds: thresholdLines(meta),
    termsPerAct: termHistogram(w.acts[0]),
    termsPerWeight: termHistogram(w.weights),
    termsPerPair: pairTermHistogram(w.geometry, w.acts[0], w.weights),
    weightSparsity: zeroFraction(w.weights),
    actSparsity: zeroFraction(w.acts[0]),
    quantMeta: meta,
  };
}
