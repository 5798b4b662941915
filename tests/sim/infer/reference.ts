/**
 * Naive reference forward pass for tests: float64, node by node, direct nested loops, BatchNormalization
 * applied as its own node (never folded). Deliberately shares no code with src/sim/infer.
 */
import type { NetworkModel } from '../../../src/sim/model';

export interface ReferenceOptions {
  weightOverrides?: Map<string, Float32Array>;
  reluThreshold?: { mode: 'absolute' | 'relative'; theta: number };
}

export interface ReferenceResult {
  output: Float64Array;
  layerInputs: Map<string, Float64Array>;
}

const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Direct convolution of a batch: x [n][C][H][W], w [K][C][Kh][Kw]. */
export function referenceConv(
  x: ArrayLike<number>,
  n: number,
  C: number,
  H: number,
  W: number,
  w: ArrayLike<number>,
  K: number,
  Kh: number,
  Kw: number,
  stride: number,
  pad: number,
  bias?: ArrayLike<number>,
): Float64Array {
  const Oh = Math.floor((H + 2 * pad - Kh) / stride) + 1;
  const Ow = Math.floor((W + 2 * pad - Kw) / stride) + 1;
  const y = new Float64Array(n * K * Oh * Ow);
  for (let img = 0; img < n; img++)
    for (let k = 0; k < K; k++)
      for (let oy = 0; oy < Oh; oy++)
        for (let ox = 0; ox < Ow; ox++) {
          let sum = bias ? bias[k] : 0;
          for (let c = 0; c < C; c++)
            for (let i = 0; i < Kh; i++)
              for (let j = 0; j < Kw; j++) {
                const iy = oy * stride - pad + i;
                const ix = ox * stride - pad + j;
                if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                sum += x[((img * C + c) * H + iy) * W + ix] * w[((k * C + c) * Kh + i) * Kw + j];
              }
          y[((img * K + k) * Oh + oy) * Ow + ox] = sum;
        }
  return y;
}

function std(values: Float64Array): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / values.length);
}

export function referenceForward(
  model: NetworkModel,
  images: Float32Array,
  n: number,
  options: ReferenceOptions = {},
): ReferenceResult {
  const values = new Map<string, Float64Array>([
    [model.inputName, Float64Array.from(images.subarray(0, n * product(model.inputShape)))],
  ]);
  const layerInputs = new Map<string, Float64Array>();
  const init = model.initializers;
  const shapeOf = (t: string) => model.tensorShapes[t];
  const get = (t: string) => values.get(t) as Float64Array;

  for (const node of model.nodes) {
    const inShape = shapeOf(node.inputs[0]);
    const outShape = shapeOf(node.output);
    let y: Float64Array;
    switch (node.op) {
      case 'Conv': {
        const layer = model.layers[node.layer];
        const g = layer.geometry;
        layerInputs.set(layer.name, Float64Array.from(get(node.input)));
        const w = options.weightOverrides?.get(layer.name) ?? init[node.weight];
        y = referenceConv(
          get(node.input),
          n,
          g.C,
          g.H,
          g.W,
          w,
          g.K,
          g.Kh,
          g.Kw,
          g.stride,
          g.pad,
          node.bias ? init[node.bias] : undefined,
        );
        break;
      }
      case 'Gemm':
      case 'MatMul': {
        const layer = model.layers[node.layer];
        layerInputs.set(layer.name, Float64Array.from(get(node.input)));
        const { C: inF, K: outF } = layer.geometry;
        const w = options.weightOverrides?.get(layer.name) ?? layer.weights;
        const x = get(node.input);
        y = new Float64Array(n * outF);
        for (let img = 0; img < n; img++)
          for (let o = 0; o < outF; o++) {
            let sum = 0;
            for (let i = 0; i < inF; i++) sum += w[o * inF + i] * x[img * inF + i];
            y[img * outF + o] = node.alpha * sum + (layer.bias ? node.beta * layer.bias[o] : 0);
          }
        break;
      }
      case 'BatchNormalization': {
        const x = get(node.input);
        const C = inShape[1];
        const spatial = product(inShape) / C;
        y = new Float64Array(x.length);
        for (let i = 0; i < x.length; i++) {
          const c = Math.floor(i / spatial) % C;
          y[i] =
            ((x[i] - init[node.mean][c]) / Math.sqrt(init[node.variance][c] + node.epsilon)) *
              init[node.scale][c] +
            init[node.bias][c];
        }
        break;
      }
      case 'Relu': {
        const x = get(node.input);
        const setting = options.reluThreshold;
        const theta = !setting ? 0 : setting.mode === 'absolute' ? setting.theta : setting.theta * std(x);
        y = x.map((v) => (v > theta ? v : 0));
        break;
      }
      case 'ThresholdedRelu':
        y = get(node.input).map((v) => (v > node.alpha ? v : 0));
        break;
      case 'Add': {
        const [a, b] = node.inputs;
        const size = product(outShape);
        const operand = (t: string): ((img: number, i: number) => number) => {
          if (values.has(t)) {
            const v = get(t);
            return (img, i) => v[img * size + i];
          }
          // constant, numpy-broadcast against the per-image shape
          const shape = shapeOf(t);
          const data = init[t];
          return (_img, i) => {
            let index = 0;
            let rest = i;
            let stride = 1;
            for (let axis = outShape.length - 1; axis >= 0; axis--) {
              const coordinate = rest % outShape[axis];
              rest = Math.floor(rest / outShape[axis]);
              const own = axis - (outShape.length - shape.length);
              if (own < 0) continue;
              if (shape[own] !== 1) index += coordinate * stride;
              stride *= shape[own];
            }
            return data[index];
          };
        };
        const fa = operand(a);
        const fb = operand(b);
        y = new Float64Array(n * size);
        for (let img = 0; img < n; img++)
          for (let i = 0; i < size; i++) y[img * size + i] = fa(img, i) + fb(img, i);
        break;
      }
      case 'MaxPool':
      case 'AveragePool': {
        const x = get(node.input);
        const [, C, H, W] = inShape;
        const [, , Oh, Ow] = outShape;
        y = new Float64Array(n * C * Oh * Ow);
        let o = 0;
        for (let img = 0; img < n; img++)
          for (let c = 0; c < C; c++)
            for (let oy = 0; oy < Oh; oy++)
              for (let ox = 0; ox < Ow; ox++) {
                let best = -Infinity;
                let sum = 0;
                let count = 0;
                for (let i = 0; i < node.kernel[0]; i++)
                  for (let j = 0; j < node.kernel[1]; j++) {
                    const iy = oy * node.strides[0] - node.pads[0] + i;
                    const ix = ox * node.strides[1] - node.pads[1] + j;
                    if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                    const v = x[((img * C + c) * H + iy) * W + ix];
                    best = Math.max(best, v);
                    sum += v;
                    count++;
                  }
                const divisor = node.countIncludePad ? node.kernel[0] * node.kernel[1] : count;
                y[o++] = node.op === 'MaxPool' ? best : sum / divisor;
              }
        break;
      }
      case 'GlobalAveragePool': {
        const x = get(node.input);
        const [, C, H, W] = inShape;
        y = new Float64Array(n * C);
        for (let p = 0; p < n * C; p++) {
          let sum = 0;
          for (let i = 0; i < H * W; i++) sum += x[p * H * W + i];
          y[p] = sum / (H * W);
        }
        break;
      }
      default:
        y = Float64Array.from(get(node.inputs[0]));
    }
    values.set(node.output, y);
  }
  return { output: get(model.outputName), layerInputs };
}

/** max |a - b| / max(|b|): the relative error used throughout the engine tests. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / Math.max(scale, 1e-30);
}
