import { outSize } from '../types';
import type { LayerGeometry } from '../types';

/** One conv/FC layer of a torchvision ResNet, named as in `model.named_modules()`. */
export interface NamedGeometry {
  name: string;
  geometry: LayerGeometry;
  /** Times the layer occurs when a list is compressed; every layer here is listed once (omitted). */
  count?: number;
}

const BLOCKS: Record<18 | 34 | 50, readonly number[]> = {
  18: [2, 2, 2, 2],
  34: [3, 4, 6, 3],
  50: [3, 4, 6, 3],
};

function conv(C: number, H: number, K: number, k: number, stride: number, pad: number): LayerGeometry {
  return { kind: 'conv', C, H, W: H, K, Kh: k, Kw: k, stride, pad };
}

/**
 * Conv and FC layers of torchvision's ResNet-18/34 (BasicBlock) and ResNet-50 (Bottleneck, stride on the 3x3
 * conv as in torchvision >= 0.3) for a square ImageNet input, in execution order (a block's downsample
 * after its main path). Pooling, BN and residual adds carry no MACs and are left out.
 */
export function resnetGeometry(depth: 18 | 34 | 50, inputSize = 224): NamedGeometry[] {
  const blocks = BLOCKS[depth];
  if (!blocks) throw new RangeError(`resnetGeometry: depth must be 18, 34 or 50, got ${depth}`);
  const bottleneck = depth === 50;
  const expansion = bottleneck ? 4 : 1;
  const layers: NamedGeometry[] = [{ name: 'conv1', geometry: conv(3, inputSize, 64, 7, 2, 3) }];
  let size = outSize(outSize(inputSize, 7, 2, 3), 3, 2, 1); // conv1, then the 3x3/2 max pool
  let inC = 64;
  blocks.forEach((count, stage) => {
    const planes = 64 << stage;
    for (let b = 0; b < count; b++) {
      const prefix = `layer${stage + 1}.${b}`;
      const stride = b === 0 && stage > 0 ? 2 : 1;
      const outC = planes * expansion;
      const out = outSize(size, 3, stride, 1);
      if (bottleneck) {
        layers.push({ name: `${prefix}.conv1`, geometry: conv(inC, size, planes, 1, 1, 0) });
        layers.push({ name: `${prefix}.conv2`, geometry: conv(planes, size, planes, 3, stride, 1) });
        layers.push({ name: `${prefix}.conv3`, geometry: conv(planes, out, outC, 1, 1, 0) });
      } else {
        layers.push({ name: `${prefix}.conv1`, geometry: conv(inC, size, planes, 3, stride, 1) });
        layers.push({ name: `${prefix}.conv2`, geometry: conv(planes, out, planes, 3, 1, 1) });
      }
      if (stride !== 1 || inC !== outC)
        layers.push({ name: `${prefix}.downsample.0`, geometry: conv(inC, size, outC, 1, stride, 0) });
      inC = outC;
      size = out;
    }
  });
  layers.push({
    name: 'fc',
    geometry: { kind: 'fc', C: inC, H: 1, W: 1, K: 1000, Kh: 1, Kw: 1, stride: 1, pad: 0 },
  });
  return layers;
}
