/**
 * Small models and data sets made inside the tests (pipeline and CLI): a random CIFAR-style ResNet from
 * buildResNet and seeded pseudo-images, so no test depends on the shipped placeholder model's numbers.
 */
import { buildResNet, type ResNetSpec } from '../../src/sim/model/build';
import { mulberry32 } from '../../src/sim/prng';
import type { Dataset } from '../../src/sim/pipeline';

/** A two-stage ResNet (one basic block per stage, so it has a downsample conv) for 1-channel square images. */
export function smallResNet(size: number, overrides: Partial<ResNetSpec> = {}): Uint8Array {
  return buildResNet({
    seed: 3,
    inputShape: [1, 1, size, size],
    stages: 2,
    blocksPerStage: 1,
    widths: [8, 16],
    classes: 4,
    ...overrides,
  });
}

/**
 * `count` seeded images with values in [-1, 1]. Every image holds both -1 and +1 so the range-based
 * activation profile of the input layer is the same for any subset of the images.
 */
export function randomDataset(
  count: number,
  shape: [number, number, number],
  seed = 5,
  classes = 4,
): Dataset {
  const rng = mulberry32(seed);
  const per = shape[0] * shape[1] * shape[2];
  const images = new Float32Array(count * per);
  for (let i = 0; i < images.length; i++) images[i] = 2 * rng() - 1;
  for (let n = 0; n < count; n++) {
    images[n * per] = 1;
    images[n * per + 1] = -1;
  }
  const labels = Uint8Array.from({ length: count }, (_, n) => n % classes);
  return { count, shape, images, labels };
}

/** Index of the largest logit of image n (the first one on ties), written independently of top1(). */
export function argmax(logits: Float32Array, classes: number, n: number): number {
  let best = 0;
  for (let c = 1; c < classes; c++) if (logits[n * classes + c] > logits[n * classes + best]) best = c;
  return best;
}
