import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/sim/config';
import { evaluateAccuracy } from '../../src/sim/pipeline';
import { MODELS_DIR, loadInputs, readModelCard } from '../../src/cli/assets';

/** What the app and the CLI report on the shipped subset equals what the training script measured on it. */
const MODELS = ['fmnist-resnet20', 'fmnist-resnet20-ttq', 'fmnist-resnet20-dlac'];

describe('shipped models: accuracy on the shipped test subset', () => {
  for (const name of MODELS) {
    it(`${name}: top-1 equals the model card's subsetAccuracy`, () => {
      const card = readModelCard(name) as { subsetAccuracy: { images: number; top1: number }; testAccuracy: number } | null;
      expect(card, `${name}.card.json`).not.toBeNull();
      const config = defaultConfig(name);
      const acc = evaluateAccuracy(config, loadInputs(name), card!.subsetAccuracy.images);
      expect(acc.images).toBe(card!.subsetAccuracy.images);
      // the configured default scheme recovers the shipped weights exactly, so quantised == float == PyTorch
      expect(acc.quantized).toBeCloseTo(card!.subsetAccuracy.top1, 10);
      expect(acc.float).toBeCloseTo(card!.subsetAccuracy.top1, 10);
    });
  }

  for (const name of MODELS) {
    it(`${name}: the card describes the shipped file (its onnxSha256 matches)`, () => {
      const card = readModelCard(name) as { onnxSha256: string };
      const bytes = readFileSync(join(MODELS_DIR, `${name}.onnx`));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(card.onnxSha256);
    });
  }

  it('the float model reaches 93.5 % top-1 on the full 10,000-image test set (model card)', () => {
    const f = readModelCard('fmnist-resnet20') as { testAccuracy: number; testImages: number };
    expect(f.testImages).toBe(10000);
    expect(f.testAccuracy).toBeGreaterThanOrEqual(0.935);
  });

  it('the TTQ model is within 1.0 point of the float model (model cards)', () => {
    const f = readModelCard('fmnist-resnet20') as { testAccuracy: number };
    const t = readModelCard('fmnist-resnet20-ttq') as { testAccuracy: number };
    expect(f.testAccuracy - t.testAccuracy).toBeLessThanOrEqual(0.01);
  });
});
