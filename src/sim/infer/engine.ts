import type { NetworkModel } from '../model/types';
import { foldAffine, packConv, scaleFilters, type PackedConv } from './fold';
import { JsConvRunner, WasmConvRunner, type ConvRunner } from './conv';
import type { ConvShape } from './im2col';
import {
  addPerImage,
  addTensors,
  affinePerChannel,
  fullyConnected,
  globalAveragePool,
  pool,
  standardDeviation,
  threshold,
} from './ops';
import { INPUT_BUFFER, compilePlan, type Plan, type Step } from './plan';
import { wasmKernels } from './wasm/kernels';

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
  /** Which convolution kernel runs: WebAssembly SIMD or plain JavaScript. */
  readonly kernel: 'js' | 'wasm';
  run(images: Float32Array, n: number, options?: RunOptions): RunResult;
}

interface PreparedFc {
  weights: Float32Array;
  bias: Float64Array;
}

class InferenceEngine implements Engine {
  private readonly plan: Plan;
  private readonly buffers: Float32Array[] = [];
  private readonly defaultConv = new Map<number, PackedConv>();
  private readonly defaultFc = new Map<number, PreparedFc>();

  constructor(
    readonly model: NetworkModel,
    private readonly convRunner: ConvRunner,
  ) {
    this.plan = compilePlan(model);
  }

  get kernel(): 'js' | 'wasm' {
    return this.convRunner.kind;
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
    const views = this.plan.bufferSizes.map((size, buffer) =>
      buffer === INPUT_BUFFER ? images : this.bufferView(buffer, n * size),
    );
    const layerInputs = options.captureLayerInputs ? new Map<string, Float32Array>() : undefined;
    for (const step of this.plan.steps) {
      if (layerInputs && (step.kind === 'conv' || step.kind === 'fc')) {
        const size = this.plan.bufferSizes[step.src];
        layerInputs.set(model.layers[step.layer].name, views[step.src].slice(0, n * size));
      }
      this.execute(step, views, n, options);
    }
    const classes = model.classes;
    const logits = views[this.plan.outputBuffer].slice(0, n * classes);
    return { logits, classes, layerInputs };
  }

  private bufferView(buffer: number, length: number): Float32Array {
    if ((this.buffers[buffer]?.length ?? 0) < length) this.buffers[buffer] = new Float32Array(length);
    return this.buffers[buffer].subarray(0, length);
  }

  private execute(step: Step, views: Float32Array[], n: number, options: RunOptions): void {
    const src = views[step.src];
    const dst = views[step.dst];
    switch (step.kind) {
      case 'conv':
        return this.convolve(step.layer, step.shape, src, dst, n, options.weightOverrides);
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
        return threshold(src, dst, length, theta);
      }
      case 'threshold':
        return threshold(src, dst, n * step.size, step.alpha);
      case 'add':
        return addTensors(src, views[step.other], dst, n * step.size);
      case 'addConstant':
        return addPerImage(src, step.constant, dst, n);
      case 'pool':
        return pool(src, dst, n, step.shape, step.isMax);
      case 'globalAveragePool':
        return globalAveragePool(src, dst, n * step.planes, step.spatial);
    }
  }

  private convWeights(layerIndex: number, overrides: Map<string, Float32Array> | undefined): PackedConv {
    const layer = this.model.layers[layerIndex];
    const override = overrides?.get(layer.name);
    const cached = override ? undefined : this.defaultConv.get(layerIndex);
    if (cached) return cached;
    const g = layer.geometry;
    const affine = foldAffine(g.K, layer.bias, layer.followingBatchNorm);
    const packed = packConv(override ?? layer.weights, g.K, g.C * g.Kh * g.Kw, affine);
    if (!override) this.defaultConv.set(layerIndex, packed);
    return packed;
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

  private convolve(
    layerIndex: number,
    s: ConvShape,
    src: Float32Array,
    dst: Float32Array,
    n: number,
    overrides: Map<string, Float32Array> | undefined,
  ): void {
    this.convRunner.run(this.convWeights(layerIndex, overrides), s, src, dst, n);
  }
}

export interface EngineOptions {
  /** 'auto' (default) uses the WebAssembly SIMD kernel where available, else JavaScript. */
  kernel?: 'auto' | 'js' | 'wasm';
}

export function createEngine(model: NetworkModel, options: EngineOptions = {}): Engine {
  const choice = options.kernel ?? 'auto';
  const simd = choice === 'js' ? null : wasmKernels();
  if (choice === 'wasm' && !simd) throw new Error('createEngine: WebAssembly SIMD is not available here');
  return new InferenceEngine(model, simd ? new WasmConvRunner(simd) : new JsConvRunner());
}
