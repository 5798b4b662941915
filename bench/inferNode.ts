/**
 * Part 2 (Node side): images per second of our inference engine on each ResNet-20 variant, real test images.
 * On a model with ternary layers the same engine is also timed with its ternary kernel switched off (every
 * layer on the float GEMM), the two alternating round by round, so that the kernel's gain is measured under the
 * same load.
 */
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
  /** Conv layers that ran on the ternary (add/subtract) kernel. */
  ternaryLayers: number;
  /** Where ternaryLayers > 0: the same model with every layer on the float GEMM. */
  floatKernel?: { imagesPerSecondWall: number; imagesPerSecondCpu: number };
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
  const model = loadOnnxModel(readModel(variant));
  const engine = createEngine(model);
  const engines = [engine];
  if (engine.ternaryLayers.length > 0) engines.push(createEngine(model, { ternary: false }));
  const warm = engine.run(images, n); // JIT and buffer allocation
  for (const other of engines.slice(1)) other.run(images, n);
  const wall: number[][] = engines.map(() => []);
  const cpu: number[][] = engines.map(() => []);
  for (let r = 0; r < rounds; r++) {
    engines.forEach((e, i) => {
      const stop = startClock();
      e.run(images, n);
      const t = stop();
      wall[i].push(t.wall);
      cpu[i].push(t.cpu);
    });
  }
  const rates = (i: number) => ({
    imagesPerSecondWall: n / median(wall[i]),
    imagesPerSecondCpu: n / median(cpu[i]),
  });
  if (engines.length > 1) {
    const [own, float] = [rates(0), rates(1)];
    console.log(
      `    ${engine.ternaryLayers.length} conv layers on the ternary kernel: ${own.imagesPerSecondWall.toFixed(0)} img/s ` +
        `(${own.imagesPerSecondCpu.toFixed(0)} CPU); all on the float GEMM: ${float.imagesPerSecondWall.toFixed(0)} ` +
        `(${float.imagesPerSecondCpu.toFixed(0)} CPU); ${(own.imagesPerSecondCpu / float.imagesPerSecondCpu).toFixed(2)}x by CPU time`,
    );
  }
  return {
    variant: variant.id,
    kernel: engine.kernel,
    batch: n,
    rounds,
    ...rates(0),
    ternaryLayers: engine.ternaryLayers.length,
    floatKernel: engines.length > 1 ? rates(1) : undefined,
    top1: top1(warm.logits, warm.classes, labels) / n,
  };
}
