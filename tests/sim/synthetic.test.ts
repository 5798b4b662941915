import { describe, expect, it } from 'vitest';
import validation from '../fixtures/validation.json';
import { defaultConfig, type SimConfig } from '../../src/sim/config';
import { prepareNetwork, simulateNetwork, type PreparedNetwork } from '../../src/sim/pipeline';
import { syntheticActSparsity } from '../../src/sim/synthetic';
import type { LayerGeometry } from '../../src/sim/types';

/** FNV-1a over the 32-bit words of a typed array: a cheap fingerprint of a tensor. */
function fingerprint(x: Int32Array | Float32Array, h = 0x811c9dc5): number {
  const words = new Int32Array(x.buffer, x.byteOffset, x.length);
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193) >>> 0;
  return h;
}

function fingerprints(p: PreparedNetwork): number[] {
  return p.layers.map((w, i) => {
    let h = fingerprint(w.weights);
    for (const a of w.acts) h = fingerprint(a, h);
    return fingerprint(p.floatWeights[i], h);
  });
}

const CONFIG: SimConfig = { ...defaultConfig('resnet18-synthetic'), accels: ['dadn'] };
const SYNTHETIC = { modelBytes: null };
const first = prepareNetwork(CONFIG, SYNTHETIC);
const report = simulateNetwork(first, CONFIG);

describe('resnet18-synthetic', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const again = prepareNetwork(CONFIG, SYNTHETIC);
    expect(fingerprints(again)).toEqual(fingerprints(first));
    expect(again.actProfiles).toEqual(first.actProfiles);
    const other = fingerprints(prepareNetwork({ ...CONFIG, seed: 2 }, SYNTHETIC));
    const same = fingerprints(first).filter((h, i) => h === other[i]).length;
    expect(same).toBe(0);
  });

  it('is labelled synthetic in the report and on every layer, without an accuracy', () => {
    expect(report.model.synthetic).toBe(true);
    expect(report.model.name).toBe('resnet18-synthetic');
    expect(report.model.source).toMatch(/synthetic/);
    expect(report.model.inputShape).toEqual([1, 3, 224, 224]);
    expect(report.layers.length).toBe(21); // 20 convs (incl. 3 downsamples) + fc
    for (const l of report.layers) expect(l.synthetic).toBe(true);
    expect(report.accuracy).toBeUndefined();
  });

  it('has the per-layer MACs of validation.json resnet18.macs', () => {
    const target = validation.targets.find((t) => t.id === 'resnet18.macs')!;
    const rows = (target.inputs as { layers: Array<Record<string, number | string>> }).layers;
    const expected = target.expected as { perLayer: number[]; total: number };
    const convs = report.layers.filter((l) => l.kind === 'conv');
    const matches = (g: LayerGeometry, row: Record<string, number | string>) =>
      g.C === row.C &&
      g.K === row.K &&
      g.Kh === row.kernel &&
      g.Kw === row.kernel &&
      g.stride === row.stride &&
      g.pad === row.pad &&
      g.H === row.inputHW;
    let covered = 0;
    rows.forEach((row, i) => {
      const found = convs.filter((l) => matches(l.geometry, row));
      expect(found.length, String(row.layer)).toBe(row.count);
      for (const l of found) expect(l.macs, l.name).toBe(expected.perLayer[i]);
      covered += found.length;
    });
    expect(covered).toBe(convs.length);
    expect(convs.reduce((s, l) => s + l.macs, 0)).toBe(expected.total);
    expect(report.layers.at(-1)).toMatchObject({ name: 'fc', kind: 'fc', macs: 512 * 1000 });
  });

  it('has per-layer activation sparsity near the preset, within a binomial tolerance', () => {
    const n = report.layers.length;
    report.layers.forEach((l, i) => {
      const p = syntheticActSparsity(l.name, l.geometry, i / (n - 1), i === 0);
      const size = l.geometry.C * l.geometry.H * l.geometry.W;
      // 5 standard deviations of a binomial share, plus 1e-3 for non-zero values that quantise to code 0.
      const tolerance = 5 * Math.sqrt((p * (1 - p)) / size) + 1e-3;
      expect(Math.abs(l.actSparsity - p), `${l.name}: ${l.actSparsity} vs ${p}`).toBeLessThanOrEqual(
        tolerance,
      );
    });
  });

  it('uses presets inside the bands of quantization.md §15 (first conv 0 %, inside blocks 40-60 % to 60-80 %, block outputs 30-50 %)', () => {
    const conv: LayerGeometry = { kind: 'conv', C: 64, H: 56, W: 56, K: 64, Kh: 3, Kw: 3, stride: 1, pad: 1 };
    expect(syntheticActSparsity('conv1', conv, 0, true)).toBe(0);
    const inside0 = syntheticActSparsity('layer1.0.conv2', conv, 0, false);
    const inside1 = syntheticActSparsity('layer4.1.conv2', conv, 1, false);
    expect(inside0).toBeGreaterThanOrEqual(0.4);
    expect(inside0).toBeLessThanOrEqual(0.6);
    expect(inside1).toBeGreaterThanOrEqual(0.6);
    expect(inside1).toBeLessThanOrEqual(0.8);
    expect(syntheticActSparsity('layer2.0.conv3', conv, 0.5, false)).toBeGreaterThan(inside0); // bottleneck conv3: inside
    for (const [name, depth] of [
      ['layer1.0.conv1', 0],
      ['layer4.0.downsample.0', 1],
    ] as const) {
      const s = syntheticActSparsity(name, conv, depth, false);
      expect(s).toBeGreaterThanOrEqual(0.3);
      expect(s).toBeLessThanOrEqual(0.5);
    }
  });

  it('simulates quantisation like a real model (16-bit profiled codes, Pw 16, dense weights)', () => {
    for (const l of report.layers) {
      expect(l.pa).toBe(16);
      expect(l.pw).toBe(16);
      expect(l.weightSparsity).toBeLessThan(0.01);
      expect(l.results.dadn!.cycles).toBeGreaterThan(0);
    }
  });

  it('refuses an unknown synthetic preset by name', () => {
    expect(() => prepareNetwork({ ...CONFIG, model: 'resnet19-synthetic' }, SYNTHETIC)).toThrow(
      /unknown synthetic model 'resnet19-synthetic' \(resnet18-synthetic, resnet34-synthetic, resnet50-synthetic\)/,
    );
  });
});
