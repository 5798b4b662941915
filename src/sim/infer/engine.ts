import type { NetworkModel } from '../model/types';
import { JsActivations, WasmActivations, type ActivationStore } from './activations';
import { foldAffine, packConv, scaleFilters } from './fold';
import { JsConvRunner, type ConvRunner, type PreparedConv } from './conv';
import { WasmElementwise, jsElementwise, type Elementwise } from './elementwise';
import {
  addPerImage,
  affinePerChannel,
  fullyConnected,
  globalAveragePool,
  pool,
  standardDeviation,
} from './ops';
import { INPUT_BUFFER, compilePlan, type Plan, type Step } from './plan';
import { packTernary } from './ternary';
import { wasmKernels } from './wasm/kernels';
import { WasmConvRunner } from './wasmConv';

export interface ReluThreshold {
  mode: 'absolute' | 'relative';
  /** absolute: the threshold itself; relative: a multiple of the std of each ReLU's pre-activation over the batch. */
  theta: number;
}

export interface RunOptions {
  captureLayerInputs?: boolean;
  /** Layer name -> replacement weights in the layer's layout (conv [K][C][Kh][Kw], FC [out][in]). */
  weightOverrides?: Map<string, Float32Array>;
  /** Applies to plain Relu nodes only; ThresholdedRelu nodes keep their own alpha. */
  reluThreshold?: ReluThreshold;
}

export interface RunResult {
  /** n * classes */
  logits: Float32Array;
  classes: number;
  /** Layer name -> n*C*H*W input activations as the layer reads them (before its own padding). */
  layerInputs?: Map<string, Float32Array>;
}

export interface Engine {
  readonly model: NetworkModel;
  /** Which convolution and element-wise kernels run: WebAssembly SIMD or plain JavaScript. */
  readonly kernel: 'js' | 'wasm';
  /** Conv layers whose own weights are ternary per filter and run on the add/subtract kernel. */
  readonly ternaryLayers: readonly string[];
  run(images: Float32Array, n: number, options?: RunOptions): RunResult;
}

/** The kernels one engine runs on: all JavaScript, or all WebAssembly SIMD with activations in its memory. */
interface Backend {
  conv: ConvRunner;
  elementwise: Elementwise;
  activations: ActivationStore;
}

interface PreparedFc {
  weights: Float32Array;
  bias: Float64Array;
}

class InferenceEngine implements Engine {
  private readonly plan: Plan;
  private readonly defaultConv = new Map<number, PreparedConv>();
  private readonly defaultFc = new Map<number, PreparedFc>();
  readonly ternaryLayers: readonly string[];

  constructor(
    readonly model: NetworkModel,
    private readonly backend: Backend,
    private readonly exploitTernary: boolean,
  ) {
    this.plan = compilePlan(model);
    const ternary: string[] = [];
    for (const step of this.plan.steps) {
      if (step.kind !== 'conv') continue;
      if (this.convWeights(step.layer, undefined).kind === 'ternary')
        ternary.push(model.layers[step.layer].name);
    }
    this.ternaryLayers = ternary;
  }

  get kernel(): 'js' | 'wasm' {
    return this.backend.conv.kind;
  }

  run(images: Float32Array, n: number, options: RunOptions = {}): RunResult {
    const model = this.model;
    const inputSize = this.plan.bufferSizes[INPUT_BUFFER];
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`run: image count must be a non-negative integer, got ${n}`);
    if (images.length < n * inputSize) {
      throw new RangeError(
        `run: ${n} images of ${inputSize} values need ${n * inputSize} values, got ${images.length}`,
      );
    }
    for (const [name, weights] of options.weightOverrides ?? []) {
      const layer = model.layers.find((l) => l.name === name);
      if (!layer) throw new RangeError(`run: weight override for unknown layer '${name}'`);
      if (weights.length !== layer.weights.length) {
        throw new RangeError(
          `run: override for layer '${name}' has ${weights.length} weights, ${layer.weights.length} expected`,
        );
      }
    }
    const convs = new Map<number, PreparedConv>();
    let scratch = 0;
    for (const step of this.plan.steps) {
      if (step.kind !== 'conv') continue;
      const prepared = this.convWeights(step.layer, options.weightOverrides);
      convs.set(step.layer, prepared);
      scratch = Math.max(scratch, this.backend.conv.scratchBytes(prepared, step.shape));
    }
    const lengths = this.plan.bufferSizes.map((size, buffer) => (buffer === INPUT_BUFFER ? 0 : n * size));
    const views = this.backend.activations.views(lengths, scratch);
    views[INPUT_BUFFER] = images;
    const layerInputs = options.captureLayerInputs ? new Map<string, Float32Array>() : undefined;
    for (const step of this.plan.steps) {
      if (layerInputs && (step.kind === 'conv' || step.kind === 'fc')) {
        const size = this.plan.bufferSizes[step.src];
        layerInputs.set(model.layers[step.layer].name, views[step.src].slice(0, n * size));
      }
      this.execute(step, views, n, options, convs);
    }
    const classes = model.classes;
    const logits = views[this.plan.outputBuffer].slice(0, n * classes);
    return { logits, classes, layerInputs };
  }

  private execute(
    step: Step,
    views: Float32Array[],
    n: number,
    options: RunOptions,
    convs: Map<number, PreparedConv>,
  ): void {
    const src = views[step.src];
    const dst = views[step.dst];
    const { elementwise } = this.backend;
    switch (step.kind) {
      case 'conv':
        return this.backend.conv.run(convs.get(step.layer) as PreparedConv, step.shape, src, dst, n);
      case 'fc': {
        const fc = this.fcWeights(step.layer, step.alpha, step.beta, options.weightOverrides);
        return fullyConnected(src, dst, n, step.inFeatures, step.outFeatures, fc.weights, fc.bias);
      }
      case 'batchnorm':
        return affinePerChannel(src, dst, n, step.channels, step.spatial, step.mul, step.add);
      case 'relu': {
        const length = n * step.size;
        const setting = options.reluThreshold;
        let theta = 0;
        if (setting)
          theta =
            setting.mode === 'absolute' ? setting.theta : setting.theta * standardDeviation(src, length);
        return elementwise.threshold(src, dst, length, theta);
      }
      case 'threshold':
        return elementwise.threshold(src, dst, n * step.size, step.alpha);
      case 'add':
        return elementwise.add(src, views[step.other], dst, n * step.size);
      case 'addConstant':
        return addPerImage(src, step.constant, dst, n);
      case 'pool':
        return pool(src, dst, n, step.shape, step.isMax);
      case 'globalAveragePool':
        return globalAveragePool(src, dst, n * step.planes, step.spatial);
    }
  }

  /** Overrides are checked for ternary filters too, so quantised weights also take the add/subtract kernel. */
  private convWeights(layerIndex: number, overrides: Map<string, Float32Array> | undefined): PreparedConv {
    const layer = this.model.layers[layerIndex];
    const override = overrides?.get(layer.name);
    const cached = override ? undefined : this.defaultConv.get(layerIndex);
    if (cached) return cached;
    const g = layer.geometry;
    const D = g.C * g.Kh * g.Kw;
    const weights = override ?? layer.weights;
    const affine = foldAffine(g.K, layer.bias, layer.followingBatchNorm);
    const prepared =
      (this.exploitTernary ? packTernary(weights, g.K, D, affine) : null) ??
      packConv(weights, g.K, D, affine);
    if (!override) this.defaultConv.set(layerIndex, prepared);
    return prepared;
  }

  private fcWeights(
    layerIndex: number,
    alpha: number,
    beta: number,
    overrides?: Map<string, Float32Array>,
  ): PreparedFc {
    const layer = this.model.layers[layerIndex];
    const override = overrides?.get(layer.name);
    const cached = override ? undefined : this.defaultFc.get(layerIndex);
    if (cached) return cached;
    const g = layer.geometry;
    const affine = foldAffine(g.K, layer.bias, layer.followingBatchNorm, alpha, beta);
    const prepared = {
      weights: scaleFilters(override ?? layer.weights, g.K, g.C, affine.factor),
      bias: affine.offset,
    };
    if (!override) this.defaultFc.set(layerIndex, prepared);
    return prepared;
  }
}

export interface EngineOptions {
  /** 'auto' (default) uses the WebAssembly SIMD kernel where available, else JavaScript. */
  kernel?: 'auto' | 'js' | 'wasm';
  /**
   * Conv layers whose filters each take at most the values {-a, 0, +b} run on the add/subtract kernel
   * (default true); false runs every layer on the float GEMM.
   */
  ternary?: boolean;
}

export function createEngine(model: NetworkModel, options: EngineOptions = {}): Engine {
  const choice = options.kernel ?? 'auto';
  const simd = choice === 'js' ? null : wasmKernels();
  if (choice === 'wasm' && !simd) throw new Error('createEngine: WebAssembly SIMD is not available here');
  const backend: Backend = simd
    ? {
        conv: new WasmConvRunner(simd),
        elementwise: new WasmElementwise(simd),
        activations: new WasmActivations(simd.memory),
      }
    : { conv: new JsConvRunner(), elementwise: jsElementwise, activations: new JsActivations() };
  return new InferenceEngine(model, backend, options.ternary ?? true);
}
