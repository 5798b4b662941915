import { describe, expect, it } from 'vitest';
import { defaultConfig, type SimConfig } from '../../src/sim/config';
import { runPipeline, type PipelineInputs } from '../../src/sim/pipeline';
import { MODEL_IDS, type ModelId } from '../../src/sim/accel';
import { layerEnergyDetail, withEnergyConstants } from '../../src/sim/reportEnergy';
import type { SimReport } from '../../src/sim/report';
import type { EnergyConstants } from '../../src/sim/energy';
import { outSize } from '../../src/sim/types';
import { randomDataset, smallResNet } from '../helpers/smallNetwork';

const SIZE = 8;
const INPUTS: PipelineInputs = {
  modelBytes: smallResNet(SIZE),
  dataset: randomDataset(3, [1, SIZE, SIZE]),
  source: 'test',
};

function config(energy?: Partial<EnergyConstants>, mutate: (c: SimConfig) => void = () => {}): SimConfig {
  const c = structuredClone(defaultConfig('custom'));
  c.images = 2;
  c.quant.weights.scheme = 'twn';
  if (energy) c.energy = energy;
  mutate(c);
  return c;
}

const BASE = runPipeline(config(), INPUTS);

function relClose(a: number, b: number, rel = 1e-12): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b)));
}

/** Runs `cfg` and pairs every (layer, accelerator) energy with the default-constant one. */
function pairs(report: SimReport) {
  return report.layers.flatMap((l, i) =>
    (Object.keys(l.energy) as ModelId[]).map((id) => ({
      id,
      layer: l,
      e: l.energy[id]!,
      base: BASE.layers[i].energy[id]!,
    })),
  );
}

describe('energy estimate in the report', () => {
  it('has one estimate per result; total = compute + SRAM + DRAM + leakage; EIE reads its CSC', () => {
    for (const l of BASE.layers) {
      expect(Object.keys(l.energy)).toEqual(Object.keys(l.results));
      for (const [id, e] of Object.entries(l.energy)) {
        expect(e!.total).toBe(e!.compute + e!.sram + e!.dram + e!.leakage);
        expect(e!.leakage).toBe(0);
        expect(e!.weightFormat).toBe(id === 'eie' ? 'eieCsc' : l.storage.format);
        for (const part of [e!.compute, e!.sram, e!.dram]) expect(part).toBeGreaterThan(0);
      }
    }
    expect(Object.keys(BASE.layers.at(-1)!.energy)).toContain('eie');
  });

  it('DRAM is the compulsory traffic: cdiv(weight bits + C·H·W·Pa + K·Oh·Ow·Pa, 64) · 1280 pJ', () => {
    for (const l of BASE.layers) {
      const g = l.geometry;
      const windows =
        g.kind === 'fc' ? 1 : outSize(g.H, g.Kh, g.stride, g.pad) * outSize(g.W, g.Kw, g.stride, g.pad);
      for (const [, e] of Object.entries(l.energy)) {
        const weightBits = l.storage.formats[e!.weightFormat]!.bits;
        const bits = weightBits + g.C * g.H * g.W * l.pa + g.K * windows * l.pa;
        expect(e!.dram).toBe(Math.ceil(bits / 64) * 1280);
      }
    }
  });

  it('network totals are the sums over the layers each model applies to', () => {
    expect(Object.keys(BASE.totals.energy).sort()).toEqual([...MODEL_IDS].sort());
    for (const id of MODEL_IDS) {
      const t = BASE.totals.energy[id]!;
      const layers = BASE.layers.filter((l) => l.energy[id]);
      expect(t.layers).toBe(layers.length);
      expect(t.macs).toBe(layers.reduce((s, l) => s + l.macs, 0));
      for (const k of ['compute', 'sram', 'dram', 'leakage', 'total'] as const)
        relClose(
          t[k],
          layers.reduce((s, l) => s + l.energy[id]![k], 0),
        );
      relClose(t.total, t.compute + t.sram + t.dram + t.leakage);
      relClose(t.totalUJ, t.total / 1e6);
      relClose(t.pJPerMac, t.total / t.macs);
    }
    expect(BASE.totals.energy.eie!.layers).toBe(1); // FC only
  });

  it('the report’s estimate is rebuilt exactly from the JSON (what the app does for its formulas)', () => {
    const json = JSON.parse(JSON.stringify(BASE)) as SimReport;
    for (const l of json.layers)
      for (const id of Object.keys(l.energy) as ModelId[]) {
        const detail = layerEnergyDetail(l, id, json.config)!;
        expect(detail.total).toBe(l.energy[id]!.total);
        expect(detail.dramTerm.energy).toBe(l.energy[id]!.dram);
      }
  });
});

describe('energy constants through SimConfig.energy', () => {
  it('dramPerWord × 2 doubles DRAM energy exactly and leaves compute and SRAM alone', () => {
    const report = runPipeline(config({ dramPerWord: 2560 }), INPUTS);
    expect(report.config.energy).toEqual({ dramPerWord: 2560 });
    for (const { e, base } of pairs(report)) {
      expect(e.dram).toBe(2 * base.dram);
      expect([e.compute, e.sram]).toEqual([base.compute, base.sram]);
      expect(e.total).toBe(base.compute + base.sram + 2 * base.dram + base.leakage);
    }
  });

  it('all three SRAM rows × 3 triple the SRAM energy (the interpolation is scale-free)', () => {
    const report = runPipeline(config({ sram8KB: 30, sram32KB: 60, sram1MB: 300 }), INPUTS);
    for (const { e, base } of pairs(report)) {
      relClose(e.sram, 3 * base.sram, 1e-12);
      expect([e.compute, e.dram]).toEqual([base.compute, base.dram]);
    }
  });

  it('intMul8 × 2 doubles compute of every bit-product or 16-bit MAC model once adds cost nothing', () => {
    const noAdds = { intAdd8: 0, intAdd16: 0, intAdd32: 0 };
    const before = runPipeline(config(noAdds), INPUTS);
    const after = runPipeline(config({ ...noAdds, intMul8: 0.4 }), INPUTS);
    const scaled: ModelId[] = [
      'dadn',
      'stripes',
      'dstripes',
      'pragmatic',
      'loom',
      'bitfusion',
      'cnvlutin',
      'scnn',
      'eie',
    ];
    after.layers.forEach((l, i) => {
      for (const id of scaled) {
        const [a, b] = [l.energy[id], before.layers[i].energy[id]];
        if (!a || !b) continue;
        expect(b.compute).toBeGreaterThan(0);
        relClose(a.compute, 2 * b.compute);
      }
      // Laconic's term pair follows intAdd8 (0 here); DLAC's FP MACs do not depend on intMul8.
      expect(l.energy.laconic!.compute).toBe(0);
      expect(l.energy.dlac!.compute).toBe(before.layers[i].energy.dlac!.compute);
    });
  });

  it('leakagePerCycle adds leakage = cycles · constant to the total', () => {
    const report = runPipeline(config({ leakagePerCycle: 0.5 }), INPUTS);
    for (const { id, layer, e, base } of pairs(report)) {
      expect(e.leakage).toBe(0.5 * layer.results[id]!.cycles);
      relClose(e.total, base.total + e.leakage);
    }
  });

  it('withEnergyConstants gives the pipeline’s report byte for byte, and back', () => {
    const energy = { dramPerWord: 640, sram1MB: 50, leakagePerCycle: 0.1 };
    const report = runPipeline(config(energy), INPUTS);
    expect(JSON.stringify(withEnergyConstants(BASE, energy))).toBe(JSON.stringify(report));
    expect(JSON.stringify(withEnergyConstants(report, {}))).toBe(JSON.stringify(BASE));
  });

  it('leaves every non-energy number of the report unchanged', () => {
    const report = runPipeline(config({ dramPerWord: 99, intMul8: 1 }), INPUTS);
    const strip = (r: SimReport) =>
      JSON.stringify({
        ...r,
        config: { ...r.config, energy: undefined },
        layers: r.layers.map((l) => ({ ...l, energy: undefined })),
        totals: { ...r.totals, energy: undefined },
      });
    expect(strip(report)).toBe(strip(BASE));
  });
});
