import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOnnxModel } from '../../src/sim/model';
import { createEngine } from '../../src/sim/infer';
import { parseDataset, sliceDataset } from '../../src/sim/dataset';

/**
 * The TypeScript engine against PyTorch on the shipped models: reference logits and layer-input checksums for
 * the first 100 test images were exported by training/export.py together with each model.
 */
interface Reference {
  model: string;
  images: number;
  logits: number[][];
  labels: number[];
  layerInputs: Record<string, { shape: number[]; sum: number; sumAbs: number; sumSq: number; nonZero: number }>;
}

const MODELS = ['fmnist-resnet20', 'fmnist-resnet20-ttq', 'fmnist-resnet20-dlac'];
const root = join(__dirname, '..', '..');
const dataset = parseDataset(new Uint8Array(readFileSync(join(root, 'public/models/fmnist-test.bin'))));

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

for (const name of MODELS) {
  const refPath = join(root, 'tests/fixtures', `${name}.reference.json`);
  const modelPath = join(root, 'public/models', `${name}.onnx`);
  describe(`${name} matches PyTorch`, () => {
    it('ships the model and its PyTorch reference outputs', () => {
      expect(existsSync(modelPath), modelPath).toBe(true);
      expect(existsSync(refPath), refPath).toBe(true);
    });
    if (!existsSync(refPath) || !existsSync(modelPath)) return;
    const ref = JSON.parse(readFileSync(refPath, 'utf8')) as Reference;
    const net = loadOnnxModel(new Uint8Array(readFileSync(modelPath)));
    const { images, labels, n } = sliceDataset(dataset, 0, ref.images);
    const run = createEngine(net).run(images, n, { captureLayerInputs: true });

    it('uses the same labels as the reference', () => {
      expect(Array.from(labels)).toEqual(ref.labels);
    });

    it('reproduces the logits within 1e-3 and the top-1 on >= 99.9% of images', () => {
      let maxDiff = 0;
      let agree = 0;
      for (let i = 0; i < n; i++) {
        const row = run.logits.subarray(i * run.classes, (i + 1) * run.classes);
        for (let c = 0; c < run.classes; c++) maxDiff = Math.max(maxDiff, Math.abs(row[c] - ref.logits[i][c]));
        if (argmax(row) === argmax(ref.logits[i])) agree++;
      }
      expect(maxDiff).toBeLessThan(1e-3);
      expect(agree / n).toBeGreaterThanOrEqual(0.999);
    });

    it("reproduces every conv/FC layer's input activations (checksums)", () => {
      const byModule = new Map(net.layers.map((l) => [l.weightName.replace(/\.weight$/, ''), l.name]));
      expect(Object.keys(ref.layerInputs).length).toBe(net.layers.length);
      for (const [module, check] of Object.entries(ref.layerInputs)) {
        const layer = byModule.get(module);
        expect(layer, `layer ${module} in the ONNX file`).toBeDefined();
        const x = run.layerInputs!.get(layer!)!;
        expect(x.length).toBe(check.shape.reduce((a, b) => a * b, 1));
        let sum = 0;
        let sumAbs = 0;
        let sumSq = 0;
        let nonZero = 0;
        for (let i = 0; i < x.length; i++) {
          sum += x[i];
          sumAbs += Math.abs(x[i]);
          sumSq += x[i] * x[i];
          if (x[i] !== 0) nonZero++;
        }
        // float32 accumulation-order differences: relative to the tensor's magnitude, not its (signed) sum
        expect(Math.abs(sum - check.sum)).toBeLessThan(1e-4 * check.sumAbs + 1e-3);
        expect(Math.abs(sumAbs - check.sumAbs)).toBeLessThan(1e-4 * check.sumAbs + 1e-3);
        expect(Math.abs(sumSq - check.sumSq)).toBeLessThan(2e-4 * check.sumSq + 1e-3);
        // a value at the ReLU threshold may flip between zero and non-zero under rounding
        expect(Math.abs(nonZero - check.nonZero)).toBeLessThanOrEqual(Math.max(2, 1e-4 * x.length));
      }
    });
  });
}
