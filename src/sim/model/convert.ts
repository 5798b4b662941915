import { NodeAttributes } from './attributes';
import type { GraphNode } from './graph';
import { label, type ConvertContext } from './nodes/context';
import { convertConv, convertGemm } from './nodes/layers';
import {
  convertAdd,
  convertBatchNorm,
  convertElementwise,
  convertFlatten,
  convertPool,
  convertReshape,
} from './nodes/operators';
import type { NetworkNode } from './types';

export type { ConvertContext } from './nodes/context';

export function convertNode(node: GraphNode, context: ConvertContext): NetworkNode {
  const attributes = new NodeAttributes(node.proto, label(node));
  switch (node.opType) {
    case 'Conv':
      return convertConv(node, attributes, context);
    case 'BatchNormalization':
      return convertBatchNorm(node, attributes, context);
    case 'MaxPool':
    case 'AveragePool':
      return convertPool(node, attributes, context);
    case 'Gemm':
    case 'MatMul':
      return convertGemm(node, attributes, context);
    case 'Add':
      return convertAdd(node, context);
    case 'Reshape':
      return convertReshape(node, attributes, context);
    case 'Flatten':
      return convertFlatten(node, attributes, context);
    default:
      return convertElementwise(node, attributes, context);
  }
}
