/**
 * Images per second of the TypeScript inference engine on a ResNet-20 (Fashion-MNIST shape, 1x28x28,
 * random weights), batch of 100. Run: npx tsx bench/inference.ts [batch] [repeats]
 */
import { createEngine } from '../src/sim/infer';
import { buildResNet, loadOnnxModel } from '../src/sim/model';
import { mulberry32 } from '../src/sim/prng';

const batch = Number(process.argv[2] ?? 100);
const repeats = Number(process.argv[3] ?? 5);

const model = loadOnnxModel(
  buildResNet({ seed: 7, inputShape: [1, 1, 28, 28], stages: 3, blocksPerStage: 3, widths: [16, 32, 64], classes: 10 }),
);
const rng = mulberry32(11);
const images = new Float32Array(batch * 28 * 28).map(() => rng() * 2 - 1);
const engine = createEngine(model);

engine.run(images, batch); // warm-up: JIT and buffer allocation
const times: number[] = [];
for (let r = 0; r < repeats; r++) {
  const start = performance.now();
  engine.run(images, batch);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const imagesPerSecond = (batch / median) * 1000;
console.log(
  `ResNet-20 1x28x28 (${(model.macs / 1e6).toFixed(1)} MMAC/image), batch ${batch}: ` +
    `${imagesPerSecond.toFixed(1)} images/s (median of ${repeats}, ${median.toFixed(0)} ms per batch, ` +
    `${((model.macs * imagesPerSecond) / 1e9).toFixed(2)} GMAC/s)`,
);
