import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** CI never trains; this runs a few batches of a tiny subset when Debian's PyTorch and the dataset are present. */
const PY = '/usr/bin/python3';
const hasTorch = existsSync(PY) && spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const hasData = existsSync('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz');
const reason = !hasTorch
  ? 'skipped: python3-torch is not installed (apt-get install python3-torch dataset-fashion-mnist)'
  : 'skipped: dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)';

describe.skipIf(!(hasTorch && hasData))(`training smoke test${hasTorch && hasData ? '' : ` (${reason})`}`, () => {
  it('trains TTQ for a few batches, resumes, and exports a ternary ONNX model', () => {
    const dir = mkdtempSync(join(tmpdir(), 'effectual-train-'));
    try {
      const script = join(__dirname, '../../training/train.py');
      const common = ['--train-subset', '256', '--test-subset', '100', '--batch', '64', '--threads', '1'];
      execFileSync(PY, [script, '--mode', 'float', '--epochs', '1', ...common, '--run-dir', join(dir, 'float')]);
      const args = ['--mode', 'ttq', '--init', join(dir, 'float', 'checkpoint.pt'), ...common, '--run-dir', join(dir, 'ttq')];
      execFileSync(PY, [script, ...args, '--epochs', '1']);
      const resumed = execFileSync(PY, [script, ...args, '--epochs', '2']).toString();
      expect(resumed).toContain('resumed at epoch 1');
      const out = join(dir, 'out');
      const exported = execFileSync(PY, [join(__dirname, '../../training/export.py'), '--mode', 'ttq', '--run-dir', join(dir, 'ttq'), '--out', out, '--no-fixtures']).toString();
      expect(exported).toMatch(/fmnist-resnet20-ttq: test/);
      expect(existsSync(join(out, 'fmnist-resnet20-ttq.onnx'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
