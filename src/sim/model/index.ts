export { loadOnnxModel, SUPPORTED_OPS } from './onnx';
export { ModelLoadError, type ModelLoadErrorCode } from './errors';
export { buildOnnxModel, buildResNet, tensorProto } from './build';
export type { AttributeValue, GraphSpec, NodeSpec, ResNetSpec, TensorSpec, ValueSpec } from './build';
export { DEFAULT_LOAD_LIMITS } from './types';
export type {
  AddNode,
  BatchNormNode,
  BatchNormParams,
  ConvNode,
  GemmNode,
  LoadOptions,
  NetworkLayer,
  NetworkModel,
  NetworkNode,
  PoolNode,
  ThresholdedReluNode,
  UnaryNode,
} from './types';
