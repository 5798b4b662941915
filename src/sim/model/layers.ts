import type { BatchNormNode, NetworkLayer, NetworkNode } from './types';

const POINTWISE_OPS = new Set<NetworkNode['op']>(['BatchNormalization', 'Relu', 'ThresholdedRelu', 'Add']);

/** Fills isFirst/isLast, the BN folded into each layer, and the point-wise op counts. */
export function finishLayers(
  layers: NetworkLayer[],
  nodes: NetworkNode[],
  floats: Map<string, Float32Array>,
  graphOutput: string,
): void {
  const readers = new Map<string, number>();
  for (const node of nodes)
    for (const input of node.inputs) readers.set(input, (readers.get(input) ?? 0) + 1);
  const layerOfNode = new Map(layers.map((layer) => [layer.nodeName, layer]));
  let current: NetworkLayer | undefined;
  for (const node of nodes) {
    const layer = layerOfNode.get(node.name);
    if (layer) current = layer;
    else if (current && POINTWISE_OPS.has(node.op)) current.pointwiseOps++;
  }
  // The first BN reading each tensor, found once: a search per layer is quadratic in hostile-sized graphs.
  const batchNormReading = new Map<string, BatchNormNode>();
  for (const node of nodes) {
    if (node.op === 'BatchNormalization' && !batchNormReading.has(node.input))
      batchNormReading.set(node.input, node);
  }
  for (const node of nodes) {
    if (node.op !== 'Conv' && node.op !== 'Gemm' && node.op !== 'MatMul') continue;
    const next = batchNormReading.get(node.output);
    if (next && readers.get(node.output) === 1 && node.output !== graphOutput) {
      layers[node.layer].followingBatchNorm = {
        scale: floats.get(next.scale) as Float32Array,
        bias: floats.get(next.bias) as Float32Array,
        mean: floats.get(next.mean) as Float32Array,
        var: floats.get(next.variance) as Float32Array,
        eps: next.epsilon,
      };
    }
  }
  if (layers.length > 0) {
    layers[0].isFirst = true;
    layers[layers.length - 1].isLast = true;
  }
}
