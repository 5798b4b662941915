import { describe, expect, it } from 'vitest';
import { defaultConfig, type SimConfig } from '../../src/sim/config';
import { prepareNetwork, runPipeline, type PipelineInputs } from '../../src/sim/pipeline';
import { weightFootprint } from '../../src/sim/energy';
import { layerStorage, STORAGE_FORMAT_IDS, type LayerStorage } from '../../src/sim/reportStorage';
import { resnetGeometry } from '../../src/sim/presets/resnet';
import type { LayerGeometry } from '../../src/sim/types';
import { randomDataset, smallResNet } from '../helpers/smallNetwork';
import { target } from './energy/helpers';

const SIZE = 8;
const INPUTS: PipelineInputs = {
  modelBytes: smallResNet(SIZE),
  dataset: randomDataset(2, [1, SIZE, SIZE]),
  source: 'test',
};

function config(mutate: (c: SimConfig) => void = () => {}): SimConfig {
  const c = structuredClone(defaultConfig('custom'));
  c.accels = ['dadn'];
  mutate(c);
  return c;
}

function weightsOf(g: LayerGeometry): number {
  return g.K * g.C * g.Kh * g.Kw;
}

/** EIE CSC entries counted naively: row i on PE i mod N, padding floor(gap / 2^r) per non-zero in its slice. */
function naiveCsc(codes: ArrayLike<number>, K: number, D: number, pes: number, relBits: number) {
  let nnz = 0;
  let padding = 0;
  for (let pe = 0; pe < pes; pe++)
    for (let col = 0; col < D; col++) {
      let gap = 0;
      for (let row = pe; row < K; row += pes) {
        if (codes[row * D + col] === 0) {
          gap++;
          continue;
        }
        padding += Math.floor(gap / 2 ** relBits);
        nnz++;
        gap = 0;
      }
    }
  return { nnz, padding };
}

/** Deep Compression's flat relative-index stream, counted naively. */
function naiveRelativeIndex(codes: ArrayLike<number>, relBits: number) {
  let nnz = 0;
  let padding = 0;
  let gap = 0;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] === 0) gap++;
    else {
      padding += Math.floor(gap / 2 ** relBits);
      nnz++;
      gap = 0;
    }
  }
  return { nnz, padding };
}

describe('storage per layer in the report', () => {
  it('TWN: the report equals weightFootprint of the codes and 2n + 32 (per filter 2n + 32K); protected layers are FP32', () => {
    for (const granularity of ['layer', 'filter'] as const) {
      const cfg = config((c) => {
        c.quant.weights.scheme = 'twn';
        c.quant.weights.granularity = granularity;
      });
      const report = runPipeline(cfg, INPUTS);
      const prepared = prepareNetwork(cfg, INPUTS);
      report.layers.forEach((l, i) => {
        const g = l.geometry;
        const n = weightsOf(g);
        const codes = prepared.layers[i].weights;
        const fp32 = l.storage.formats.fp32!;
        expect(fp32.bits).toBe(32 * n);
        expect(l.storage.n).toBe(n);
        const protectedLayer = i === 0 || i === report.layers.length - 1;
        if (protectedLayer) {
          expect(l.storage.format).toBe('fp32');
          expect(l.storage.formats.twn).toBeUndefined();
          return;
        }
        expect(l.storage.format).toBe('twn');
        const twn = l.storage.formats.twn!;
        expect(twn).toEqual(weightFootprint(codes, [g.K, g.C, g.Kh, g.Kw], { kind: 'twn', granularity }));
        expect(twn.bits).toBe(2 * n + 32 * (granularity === 'filter' ? g.K : 1));
        expect(twn.compression).toBeCloseTo((32 * n) / twn.bits, 12);
        let nnz = 0;
        for (const c of codes) if (c !== 0) nnz++;
        expect(l.storage.nnz).toBe(nnz);
        expect(1 - nnz / n).toBeCloseTo(l.weightSparsity, 12);
      });
    }
  });

  const schemes: Array<[string, (c: SimConfig) => void]> = [
    ['fixed 16', () => {}],
    ['fixed 8, pruned', (c) => ((c.quant.weights.bits = 8), (c.quant.prune.enabled = true))],
    [
      'uniform 4 symmetric per filter',
      (c) => Object.assign(c.quant.weights, { scheme: 'uniform', bits: 4, granularity: 'filter' }),
    ],
    [
      'uniform 6 asymmetric',
      (c) => Object.assign(c.quant.weights, { scheme: 'uniform', bits: 6, symmetric: false }),
    ],
    ['tensorflow8b', (c) => (c.quant.weights.scheme = 'tensorflow8b')],
    ['ttq', (c) => (c.quant.weights.scheme = 'ttq')],
    ['ttqFixedSparsity', (c) => (c.quant.weights.scheme = 'ttqFixedSparsity')],
    ['binary per filter', (c) => Object.assign(c.quant.weights, { scheme: 'binary', granularity: 'filter' })],
    [
      'cgs 4×4, 3 bits',
      (c) =>
        Object.assign(c.quant.weights, { scheme: 'cgs', cgs: { br: 4, bc: 4, compression: 2, bits: 3 } }),
    ],
    ['weight sharing', (c) => (c.quant.share.enabled = true)],
    [
      'pruning + sharing (Deep Compression)',
      (c) => ((c.quant.share.enabled = true), (c.quant.prune.enabled = true)),
    ],
  ];

  it.each(schemes)('%s: the configured format has exactly the quantiser’s own storage bits', (_, mutate) => {
    const cfg = config(mutate);
    const report = runPipeline(cfg, INPUTS);
    const prepared = prepareNetwork(cfg, INPUTS);
    report.layers.forEach((l, i) => {
      const own = l.storage.formats[l.storage.format]!;
      expect(own.bits, `${l.name} (${l.storage.format})`).toBe(prepared.quantized[i].storageBits);
    });
  });

  it('pruning + sharing: the EIE story steps dense → pruned → shared → CSC, each counted independently', () => {
    const cfg = config((c) => {
      c.quant.prune = { ...c.quant.prune, enabled: true, fraction: 0.8 };
      c.quant.share = { ...c.quant.share, enabled: true, bitsConv: 4, bitsFc: 4 };
    });
    const report = runPipeline(cfg, INPUTS);
    const prepared = prepareNetwork(cfg, INPUTS);
    report.layers.forEach((l, i) => {
      const g = l.geometry;
      const D = g.C * g.Kh * g.Kw;
      const codes = prepared.layers[i].weights;
      const r = g.kind === 'conv' ? 8 : 5;
      const csc = naiveCsc(codes, g.K, D, 64, 4);
      expect(l.storage.formats.eieCsc!.entries).toEqual(csc);
      expect(l.storage.formats.eieCsc!.bits).toBe((csc.nnz + csc.padding) * 8 + 64 * (D + 1) * 16 + 16 * 16);
      if (i === 0) {
        // Pruning skips the first conv (quantization.md §14): shared only, no pruned step.
        expect(Object.keys(l.storage.formats)).toEqual(['fp32', 'shared', 'eieCsc']);
        expect(l.storage.formats.shared!.bits).toBe(4 * weightsOf(g) + 16 * 32);
        return;
      }
      expect(Object.keys(l.storage.formats)).toEqual(['fp32', 'pruned', 'deepCompression', 'eieCsc']);
      const flat = naiveRelativeIndex(codes, r);
      expect(l.storage.formats.pruned!.bits).toBe((flat.nnz + flat.padding) * (32 + r));
      expect(l.storage.formats.deepCompression!.bits).toBe((flat.nnz + flat.padding) * (4 + r) + 16 * 32);
      // Ideal entropy coding can only shrink the fixed-width streams.
      expect(l.storage.formats.deepCompression!.entropy!.bits).toBeLessThanOrEqual(
        l.storage.formats.deepCompression!.bits,
      );
    });
  });

  it('EIE CSC follows the configured EIE parameters', () => {
    const cfg = config((c) => {
      c.accels = ['eie'];
      c.params = { 'eie.pes': 4, 'eie.relBits': 2, 'eie.weightIndexBits': 3 };
    });
    const report = runPipeline(cfg, INPUTS);
    const prepared = prepareNetwork(cfg, INPUTS);
    report.layers.forEach((l, i) => {
      const g = l.geometry;
      const D = g.C * g.Kh * g.Kw;
      const csc = naiveCsc(prepared.layers[i].weights, g.K, D, 4, 2);
      expect(l.storage.formats.eieCsc!.bits).toBe((csc.nnz + csc.padding) * 5 + 4 * (D + 1) * 16 + 8 * 16);
    });
  });

  it('network totals: Σ of each layer’s configured format, and per format Σ over the layers that have it', () => {
    const cfg = config((c) => {
      c.accels = ['dadn', 'eie'];
      c.quant.weights.scheme = 'twn';
    });
    const report = runPipeline(cfg, INPUTS);
    const t = report.totals.storage;
    const sum = (f: (s: LayerStorage) => number) => report.layers.reduce((s, l) => s + f(l.storage), 0);
    expect(t.configured.bits).toBe(sum((s) => s.formats[s.format]!.bits));
    expect(t.configured.n).toBe(sum((s) => s.n));
    expect(t.configured.compression).toBeCloseTo((32 * t.configured.n) / t.configured.bits, 12);
    expect(Object.keys(t.formats)).toEqual(
      STORAGE_FORMAT_IDS.filter((id) => ['fp32', 'twn', 'eieCsc'].includes(id)),
    );
    expect(t.formats.fp32!.layers).toBe(report.layers.length);
    expect(t.formats.twn!.layers).toBe(report.layers.length - 2);
    expect(t.formats.twn!.bits).toBe(sum((s) => s.formats.twn?.bits ?? 0));
    expect(t.formats.eieCsc!.bits).toBe(sum((s) => s.formats.eieCsc!.bits));
  });
});

describe('ResNet-18 footprint (validation target footprint.resnet18)', () => {
  it('TWN with conv1 kept FP32: the published bit counts and ratio', () => {
    const expected = target('footprint.resnet18').expected;
    const cfg = config((c) => (c.quant.weights.scheme = 'twn'));
    const conv = resnetGeometry(18).filter((l) => l.geometry.kind === 'conv');
    let n = 0;
    let fp32 = 0;
    let twn = 0;
    conv.forEach(({ geometry: g }, i) => {
      const shape = [g.K, g.C, g.Kh, g.Kw];
      const codes = new Int32Array(weightsOf(g)); // TWN and FP32 storage do not depend on the values
      const meta: Record<string, string> = i === 0 ? { policy: 'full precision (first conv)' } : {};
      const s = layerStorage(
        { kind: 'conv', pw: 2, weightScheme: 'twn', quantMeta: meta },
        codes,
        shape,
        cfg,
      );
      n += s.n;
      fp32 += s.formats.fp32!.bits;
      twn += s.formats[s.format]!.bits;
    });
    expect(conv.length).toBe(target('footprint.resnet18').inputs.convLayers);
    expect(n).toBe(expected.convWeights);
    expect(fp32).toBe(expected.fp32Bits);
    expect(twn).toBe(expected.twnFirstConvFp32Bits);
    expect(Math.abs(fp32 / twn - expected.ratio)).toBeLessThanOrEqual(0.05);
  });
});
