import type { LayerGeometry, LayerKind } from '../types';

/** Limits checked while loading; every one can be raised by the caller. */
export interface LoadOptions {
  /** Largest accepted file, in bytes. */
  maxBytes?: number;
  /** Largest accepted conv/FC multiply-accumulates per image. */
  maxMacs?: number;
  /** Largest accepted element count of any single tensor (weights or one image's activations). */
  maxTensorElements?: number;
  /**
   * Largest accepted number of graph nodes; the file's other structural entries (names, attributes, shapes,
   * integer values) may number 16 times this. Bounds the objects the protobuf decoder creates.
   */
  maxNodes?: number;
}

export const DEFAULT_LOAD_LIMITS: Required<LoadOptions> = {
  maxBytes: 512 * 1024 * 1024,
  maxMacs: 20e9,
  maxTensorElements: 1 << 26,
  maxNodes: 100_000,
};

export interface BatchNormParams {
  scale: Float32Array;
  bias: Float32Array;
  mean: Float32Array;
  var: Float32Array;
  eps: number;
}

interface NodeBase {
  /** The ONNX node name, or `<OpType>_<index>` when the file leaves it empty. */
  name: string;
  /** Every tensor the node reads (activations and initializers), in ONNX input order. */
  inputs: string[];
  output: string;
}

export interface ConvNode extends NodeBase {
  op: 'Conv';
  input: string;
  weight: string;
  bias?: string;
  kernel: [number, number];
  stride: number;
  pad: number;
  /** Index into NetworkModel.layers. */
  layer: number;
}

export interface BatchNormNode extends NodeBase {
  op: 'BatchNormalization';
  input: string;
  scale: string;
  bias: string;
  mean: string;
  variance: string;
  epsilon: number;
}

export interface PoolNode extends NodeBase {
  op: 'MaxPool' | 'AveragePool';
  input: string;
  kernel: [number, number];
  strides: [number, number];
  /** top, left, bottom, right */
  pads: [number, number, number, number];
  countIncludePad: boolean;
}

export interface GemmNode extends NodeBase {
  op: 'Gemm' | 'MatMul';
  input: string;
  weight: string;
  bias?: string;
  alpha: number;
  beta: number;
  layer: number;
}

export interface UnaryNode extends NodeBase {
  op: 'Relu' | 'Identity' | 'GlobalAveragePool' | 'Flatten' | 'Reshape';
  input: string;
}

export interface ThresholdedReluNode extends NodeBase {
  op: 'ThresholdedRelu';
  input: string;
  alpha: number;
}

export interface AddNode extends NodeBase {
  op: 'Add';
}

/** A compute node after loading; Constant nodes are turned into initializers and do not appear. */
export type NetworkNode =
  ConvNode | BatchNormNode | PoolNode | GemmNode | UnaryNode | ThresholdedReluNode | AddNode;

export interface NetworkLayer {
  name: string;
  kind: LayerKind;
  geometry: LayerGeometry;
  /** The initializer holding the weights as stored in the file. */
  weightName: string;
  /** PyTorch layout: conv [K][C][Kh][Kw], FC [out][in]. */
  weights: Float32Array;
  bias?: Float32Array;
  isFirst: boolean;
  isLast: boolean;
  followingBatchNorm?: BatchNormParams;
  /** BN, ReLU/threshold and Add nodes after this layer and before the next conv/FC in topological order. */
  pointwiseOps: number;
  /** Name of the node in NetworkModel.nodes. */
  nodeName: string;
  /** The activation tensor this layer reads. */
  inputName: string;
}

/** A loaded network: plain data, structured-clone safe. Shapes are for batch 1. */
export interface NetworkModel {
  inputName: string;
  inputShape: [1, number, number, number];
  outputName: string;
  outputShape: number[];
  /** Output elements per image. */
  classes: number;
  nodes: NetworkNode[];
  initializers: Record<string, Float32Array>;
  /** Batch-1 shape of every activation tensor and float initializer. */
  tensorShapes: Record<string, number[]>;
  layers: NetworkLayer[];
  /** Conv/FC multiply-accumulates per image. */
  macs: number;
  producer: string;
  opsetVersion: number;
}
