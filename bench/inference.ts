/**
 * Images per second of the TypeScript inference engine on a ResNet-20 (Fashion-MNIST shape 1x28x28, random
 * weights), batch of 100. Run: npx tsx bench/inference.ts [batch] [repeats] [auto|js|wasm]
 * Prints wall-clock throughput and, because shared machines skew wall time, throughput per CPU-second.
 */
import { createEngine } from '../src/sim/infer';
import { buildResNet, loadOnnxModel } from '../src/sim/model';
import { mulberry32 } from '../src/sim/prng';

const batch = Number(process.argv[2] ?? 100);
const repeats = Number(process.argv[3] ?? 5);
const kernel = (process.argv[4] ?? 'auto') as 'auto' | 'js' | 'wasm';

const model = loadOnnxModel(
  buildResNet({
    seed: 7,
    inputShape: [1, 1, 28, 28],
    stages: 3,
    blocksPerStage: 3,
    widths: [16, 32, 64],
    classes: 10,
  }),
);
const rng = mulberry32(11);
const images = new Float32Array(batch * 28 * 28).map(() => rng() * 2 - 1);
const engine = createEngine(model, { kernel });

engine.run(images, batch); // warm-up: JIT and buffer allocation
const wall: number[] = [];
const cpu: number[] = [];
for (let r = 0; r < repeats; r++) {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  engine.run(images, batch);
  wall.push(performance.now() - start);
  const used = process.cpuUsage(cpuStart);
  cpu.push((used.user + used.system) / 1000);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const perSecond = (ms: number) => (batch / ms) * 1000;
const wallRate = perSecond(median(wall));
console.log(
  `ResNet-20 1x28x28 (${(model.macs / 1e6).toFixed(1)} MMAC/image), batch ${batch}, ${engine.kernel} kernel: ` +
    `${wallRate.toFixed(1)} images/s wall (${median(wall).toFixed(0)} ms per batch, ` +
    `${((model.macs * wallRate) / 1e9).toFixed(2)} GMAC/s), ${perSecond(median(cpu)).toFixed(1)} images per CPU-second ` +
    `(median of ${repeats})`,
);
