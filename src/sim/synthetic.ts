import type { SimConfig } from './config';
import type { PreparedNetwork } from './pipeline';
import { SeededNormals } from './prng';
import { networkWidth, quantizeActivations, quantizeNetworkWeights } from './quant';
import { resnetGeometry } from './presets/resnet';
import type { LayerGeometry, LayerWork } from './types';

/**
 * Zero fraction of a synthetic layer input, from the activation-sparsity presets of quantization.md §15
 * (reconstruction): the image 0 %; BN→ReLU outputs inside blocks 50 % rising to 70 % with depth; block outputs
 * 30 % rising to 50 %; the pooled FC input 5 %.
 */
export function syntheticActSparsity(
  name: string,
  geometry: LayerGeometry,
  depthFraction: number,
  isFirst: boolean,
): number {
  if (isFirst) return 0;
  if (geometry.kind === 'fc') return 0.05;
  const insideBlock = /\.conv[23]$/.test(name);
  return insideBlock ? 0.5 + 0.2 * depthFraction : 0.3 + 0.2 * depthFraction;
}

function depthOf(model: string): 18 | 34 | 50 {
  const m = /^resnet(18|34|50)-synthetic$/.exec(model);
  if (!m)
    throw new Error(
      `unknown synthetic model '${model}' (resnet18-synthetic, resnet34-synthetic, resnet50-synthetic)`,
    );
  return Number(m[1]) as 18 | 34 | 50;
}

/**
 * An ImageNet-shaped ResNet with seeded synthetic tensors (labelled synthetic everywhere): He-initialised
 * Gaussian weights, half-normal activations with the preset zero fractions. Quantised like a real model.
 */
export function syntheticNetwork(config: SimConfig): PreparedNetwork {
  const layers = resnetGeometry(depthOf(config.model));
  const random = new SeededNormals(config.seed);
  const weightLayers = layers.map((l, i) => {
    const g = l.geometry;
    const n = g.K * g.C * g.Kh * g.Kw;
    const std = Math.sqrt(2 / (g.C * g.Kh * g.Kw));
    const weights = new Float32Array(n);
    for (let k = 0; k < n; k++) weights[k] = random.normal() * std;
    return {
      name: l.name,
      kind: g.kind,
      shape: g.kind === 'fc' ? [g.K, g.C] : [g.K, g.C, g.Kh, g.Kw],
      weights,
      isFirst: i === 0,
      isLast: i === layers.length - 1,
    };
  });
  const quantized = quantizeNetworkWeights(weightLayers, config.quant, { seed: config.seed });
  const wb = networkWidth(config.quant);
  const images = Math.max(1, config.images);
  const actProfiles: PreparedNetwork['actProfiles'] = [];
  const work: LayerWork[] = layers.map((l, i) => {
    const g = l.geometry;
    const sparsity = syntheticActSparsity(l.name, g, i / Math.max(1, layers.length - 1), i === 0);
    const per = g.C * g.H * g.W;
    const x = new Float32Array(per * images);
    if (i === 0) for (let k = 0; k < x.length; k++) x[k] = random.normal();
    else
      for (let k = 0; k < x.length; k++) x[k] = random.uniform() < sparsity ? 0 : Math.abs(random.normal());
    const qa = quantizeActivations(x, config.quant.acts);
    actProfiles.push({ mag: qa.mag, frac: qa.frac });
    return {
      name: l.name,
      index: i,
      geometry: g,
      weights: quantized[i].codes,
      acts: Array.from({ length: images }, (_, n) => qa.codes.slice(n * per, (n + 1) * per)),
      pa: qa.precision,
      pw: quantized[i].precision,
      wb,
      isFirst: i === 0,
      synthetic: true,
      pointwiseOps: g.kind === 'fc' ? 0 : 2,
    };
  });
  const first = layers[0].geometry;
  return {
    config,
    model: {
      name: config.model,
      synthetic: true,
      source: 'synthetic (seeded)',
      inputShape: [1, first.C, first.H, first.W],
    },
    layers: work,
    floatWeights: weightLayers.map((l) => l.weights),
    quantized,
    actProfiles,
  };
}
