/** Part 2 (Node side): images per second of our inference engine on each ResNet-20 variant, real test images. */
import { readFileSync } from 'node:fs';
import { DATASET_FILE } from '../src/cli/assets';
import { parseDataset } from '../src/sim/dataset';
import { createEngine, top1 } from '../src/sim/infer';
import { loadOnnxModel } from '../src/sim/model';
import { readModel, type ModelVariant } from './models';
import { median, startClock } from './stats';

export interface NodeInferenceResult {
  variant: string;
  kernel: string;
  batch: number;
  rounds: number;
  imagesPerSecondWall: number;
  imagesPerSecondCpu: number;
  /** Top-1 on the batch: a check that the real images and the model were used. */
  top1: number;
}

export function loadTestImages(batch: number): {
  images: Float32Array;
  labels: Uint8Array;
  n: number;
  shape: number[];
} {
  const b = readFileSync(DATASET_FILE);
  const data = parseDataset(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  const n = Math.min(batch, data.count);
  const per = data.shape[0] * data.shape[1] * data.shape[2];
  return {
    images: data.images.slice(0, n * per),
    labels: data.labels.slice(0, n),
    n,
    shape: [...data.shape],
  };
}

export function benchNodeInference(
  variant: ModelVariant,
  batch: number,
  rounds: number,
): NodeInferenceResult {
  const { images, labels, n } = loadTestImages(batch);
  const engine = createEngine(loadOnnxModel(readModel(variant)));
  const warm = engine.run(images, n); // JIT and buffer allocation
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const stop = startClock();
    engine.run(images, n);
    const t = stop();
    wall.push(t.wall);
    cpu.push(t.cpu);
  }
  return {
    variant: variant.id,
    kernel: engine.kernel,
    batch: n,
    rounds,
    imagesPerSecondWall: n / median(wall),
    imagesPerSecondCpu: n / median(cpu),
    top1: top1(warm.logits, warm.classes, labels) / n,
  };
}
