import type { NetworkLayer, NetworkModel, NetworkNode } from '../model/types';
import { outSize } from '../types';
import type { ConvShape } from './layout';
import type { PoolShape } from './ops';

/** Buffer 0 is the caller's image batch; it is never written. */
export const INPUT_BUFFER = 0;

interface StepBase {
  /** Buffers (per-image sizes in Plan.bufferSizes) read and written. */
  src: number;
  dst: number;
}

export type Step =
  | (StepBase & { kind: 'conv'; layer: number; shape: ConvShape })
  | (StepBase & {
      kind: 'fc';
      layer: number;
      inFeatures: number;
      outFeatures: number;
      alpha: number;
      beta: number;
    })
  | (StepBase & {
      kind: 'batchnorm';
      channels: number;
      spatial: number;
      mul: Float64Array;
      add: Float64Array;
    })
  | (StepBase & { kind: 'relu'; size: number })
  | (StepBase & { kind: 'threshold'; size: number; alpha: number })
  | (StepBase & { kind: 'add'; other: number; size: number })
  | (StepBase & { kind: 'addConstant'; constant: Float32Array })
  | (StepBase & { kind: 'pool'; isMax: boolean; shape: PoolShape })
  | (StepBase & { kind: 'globalAveragePool'; planes: number; spatial: number });

export interface Plan {
  steps: Step[];
  /** Elements per image of every buffer. */
  bufferSizes: number[];
  outputBuffer: number;
}

const elements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function broadcastConstant(values: Float32Array, shape: number[], target: number[]): Float32Array {
  const out = new Float32Array(elements(target));
  const offset = target.length - shape.length;
  const strides = shape.map((_, i) => elements(shape.slice(i + 1)));
  for (let flat = 0; flat < out.length; flat++) {
    let rest = flat;
    let source = 0;
    for (let axis = target.length - 1; axis >= 0; axis--) {
      const index = rest % target[axis];
      rest = Math.floor(rest / target[axis]);
      const own = axis - offset;
      if (own >= 0 && shape[own] !== 1) source += index * strides[own];
    }
    out[flat] = values[source];
  }
  return out;
}

/**
 * Compiles the graph into steps over a small set of reusable buffers: a buffer is recycled once the last node
 * reading it has run, element-wise nodes work in place when their input dies with them, and Identity,
 * Flatten, Reshape and a BN folded into its conv/FC just rename a buffer.
 */
export function compilePlan(model: NetworkModel): Plan {
  const lastReader = new Map<string, number>();
  model.nodes.forEach((node, index) => node.inputs.forEach((input) => lastReader.set(input, index)));
  lastReader.set(model.outputName, Infinity);

  const foldedNodes = new Set<string>();
  const layerByNode = new Map<string, NetworkLayer>(model.layers.map((layer) => [layer.nodeName, layer]));
  for (const node of model.nodes) {
    if (node.op !== 'BatchNormalization') continue;
    const producer = model.nodes.find((n) => n.output === node.input);
    if (producer && layerByNode.get(producer.name)?.followingBatchNorm) foldedNodes.add(node.name);
  }

  const bufferSizes = [elements(model.inputShape)];
  const bufferOf = new Map<string, number>([[model.inputName, INPUT_BUFFER]]);
  const tensorsOn = new Map<number, string[]>([[INPUT_BUFFER, [model.inputName]]]);
  const free = new Map<number, number[]>();
  const steps: Step[] = [];

  const bufferLastUse = (buffer: number) =>
    Math.max(...(tensorsOn.get(buffer) ?? []).map((t) => lastReader.get(t) ?? -1));
  const bind = (tensor: string, buffer: number) => {
    bufferOf.set(tensor, buffer);
    tensorsOn.set(buffer, [...(tensorsOn.get(buffer) ?? []), tensor]);
  };
  const allocate = (size: number): number => {
    const reusable = free.get(size)?.pop();
    if (reusable !== undefined) {
      tensorsOn.set(reusable, []);
      return reusable;
    }
    bufferSizes.push(size);
    return bufferSizes.length - 1;
  };
  const shapeOf = (tensor: string) => model.tensorShapes[tensor];
  /** The input buffer if this node is its last reader (and it is not the caller's images), else a new one. */
  const inPlaceOrNew = (input: number, index: number, size: number) =>
    input !== INPUT_BUFFER && bufferLastUse(input) === index ? input : allocate(size);

  model.nodes.forEach((node: NetworkNode, index: number) => {
    const outputShape = shapeOf(node.output);
    const outputSize = elements(outputShape);
    const src = bufferOf.get(node.inputs[0]) ?? INPUT_BUFFER;
    const aliasing =
      node.op === 'Identity' || node.op === 'Flatten' || node.op === 'Reshape' || foldedNodes.has(node.name);
    if (aliasing) {
      bind(node.output, src);
    } else {
      const dst = planNode(node, index, src, outputSize, outputShape);
      bind(node.output, dst);
    }
    for (const [buffer, tensors] of tensorsOn) {
      if (buffer === INPUT_BUFFER || tensors.length === 0 || bufferLastUse(buffer) !== index) continue;
      tensorsOn.set(buffer, []);
      const list = free.get(bufferSizes[buffer]) ?? [];
      list.push(buffer);
      free.set(bufferSizes[buffer], list);
    }
  });

  function planNode(node: NetworkNode, index: number, src: number, size: number, outShape: number[]): number {
    const inShape = shapeOf(node.inputs[0]);
    switch (node.op) {
      case 'Conv': {
        const g = model.layers[node.layer].geometry;
        const shape: ConvShape = {
          ...g,
          Oh: outSize(g.H, g.Kh, g.stride, g.pad),
          Ow: outSize(g.W, g.Kw, g.stride, g.pad),
        };
        const dst = allocate(size);
        steps.push({ kind: 'conv', src, dst, layer: node.layer, shape });
        return dst;
      }
      case 'Gemm':
      case 'MatMul': {
        const g = model.layers[node.layer].geometry;
        const dst = allocate(size);
        steps.push({
          kind: 'fc',
          src,
          dst,
          layer: node.layer,
          inFeatures: g.C,
          outFeatures: g.K,
          alpha: node.alpha,
          beta: node.beta,
        });
        return dst;
      }
      case 'BatchNormalization': {
        const channels = inShape[1];
        const mul = new Float64Array(channels);
        const add = new Float64Array(channels);
        for (let c = 0; c < channels; c++) {
          const s =
            model.initializers[node.scale][c] /
            Math.sqrt(model.initializers[node.variance][c] + node.epsilon);
          mul[c] = s;
          add[c] = model.initializers[node.bias][c] - model.initializers[node.mean][c] * s;
        }
        const dst = inPlaceOrNew(src, index, size);
        steps.push({ kind: 'batchnorm', src, dst, channels, spatial: size / channels, mul, add });
        return dst;
      }
      case 'Relu': {
        const dst = inPlaceOrNew(src, index, size);
        steps.push({ kind: 'relu', src, dst, size });
        return dst;
      }
      case 'ThresholdedRelu': {
        const dst = inPlaceOrNew(src, index, size);
        steps.push({ kind: 'threshold', src, dst, size, alpha: node.alpha });
        return dst;
      }
      case 'Add': {
        const [a, b] = node.inputs;
        const constantName = model.initializers[a] ? a : model.initializers[b] ? b : undefined;
        if (constantName !== undefined) {
          const activation = bufferOf.get(constantName === a ? b : a) as number;
          const constant = broadcastConstant(
            model.initializers[constantName],
            shapeOf(constantName),
            outShape,
          );
          const dst = inPlaceOrNew(activation, index, size);
          steps.push({ kind: 'addConstant', src: activation, dst, constant });
          return dst;
        }
        const first = bufferOf.get(a) as number;
        const second = bufferOf.get(b) as number;
        const reuse = first !== INPUT_BUFFER && bufferLastUse(first) === index ? first : undefined;
        const dst = reuse ?? inPlaceOrNew(second, index, size);
        steps.push({ kind: 'add', src: first, other: second, dst, size });
        return dst;
      }
      case 'MaxPool':
      case 'AveragePool': {
        const dst = allocate(size);
        const shape: PoolShape = {
          C: inShape[1],
          H: inShape[2],
          W: inShape[3],
          Oh: outShape[2],
          Ow: outShape[3],
          kernel: node.kernel,
          strides: node.strides,
          pads: node.pads,
          countIncludePad: node.countIncludePad,
        };
        steps.push({ kind: 'pool', src, dst, isMax: node.op === 'MaxPool', shape });
        return dst;
      }
      case 'GlobalAveragePool': {
        const dst = allocate(size);
        steps.push({
          kind: 'globalAveragePool',
          src,
          dst,
          planes: inShape[1],
          spatial: inShape[2] * inShape[3],
        });
        return dst;
      }
      default:
        throw new Error(`compilePlan: node '${node.name}' (${node.op}) has no kernel`);
    }
  }

  return { steps, bufferSizes, outputBuffer: bufferOf.get(model.outputName) as number };
}
