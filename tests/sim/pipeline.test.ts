import { describe, expect, it } from 'vitest';
import { defaultConfig, type SimConfig } from '../../src/sim/config';
import {
  evaluateAccuracy,
  layerDetails,
  prepareNetwork,
  runPipeline,
  simulateNetwork,
  traceTile,
  type Dataset,
  type PipelineInputs,
  type PreparedNetwork,
  type Progress,
} from '../../src/sim/pipeline';
import { MODEL_IDS, type ModelId } from '../../src/sim/accel';
import { DLAC_PARAMS, prepareDlac, readDlacConfig } from '../../src/sim/accel/dlacCore';
import { UnitState, type TileTrace } from '../../src/sim/accel/types';
import { layerInput } from '../../src/sim/accel/run';
import { loadOnnxModel } from '../../src/sim/model';
import { createEngine } from '../../src/sim/infer';
import type { SimReport } from '../../src/sim/report';
import type { LayerGeometry } from '../../src/sim/types';
import { configFromJson } from '../../src/cli/config';
import { argmax, randomDataset, smallResNet } from '../helpers/smallNetwork';

const SIZE = 8;
const MODEL = smallResNet(SIZE);
const DATASET = randomDataset(6, [1, SIZE, SIZE]);
const INPUTS: PipelineInputs = { modelBytes: MODEL, dataset: DATASET, source: 'test' };
/** Conv/FC layers of smallResNet in execution order (buildResNet: stem, block 1, block 2 with its downsample, fc). */
const LAYER_NAMES = [
  'conv1',
  'layer1.0.conv1',
  'layer1.0.conv2',
  'layer2.0.conv1',
  'layer2.0.conv2',
  'layer2.0.downsample.0',
  'fc',
];

function config(patch: Partial<SimConfig> = {}): SimConfig {
  return { ...defaultConfig('custom'), ...patch };
}

function withQuant(mutate: (c: SimConfig) => void, patch: Partial<SimConfig> = {}): SimConfig {
  const c = structuredClone(config(patch));
  mutate(c);
  return c;
}

/** MACs of the original geometry, written out here: K·Oh·Ow·Kh·Kw·C. */
function naiveMacs(g: LayerGeometry): number {
  const oh = Math.floor((g.H + 2 * g.pad - g.Kh) / g.stride) + 1;
  const ow = Math.floor((g.W + 2 * g.pad - g.Kw) / g.stride) + 1;
  return g.K * oh * ow * g.Kh * g.Kw * g.C;
}

function zeroShare(codes: ArrayLike<number>): number {
  let zeros = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] === 0) zeros++;
  return zeros / codes.length;
}

function expectRelClose(actual: number, expected: number, rel = 1e-12): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

/** The prepared network with every layer reduced to image n alone. */
function onlyImage(p: PreparedNetwork, n: number): PreparedNetwork {
  return { ...p, layers: p.layers.map((w) => ({ ...w, acts: [w.acts[n]] })), accuracy: undefined };
}

describe('runPipeline on a small random ResNet', () => {
  const cfg = config({ images: 2 });
  const report = runPipeline(cfg, INPUTS);

  it('reports the network layer by layer with the original-geometry MACs', () => {
    expect(report.tool).toBe('effectual');
    expect(report.formatVersion).toBe(1);
    expect(report.model).toEqual({
      name: 'custom',
      synthetic: false,
      source: 'test',
      inputShape: [1, 1, SIZE, SIZE],
    });
    expect(report.layers.map((l) => l.name)).toEqual(LAYER_NAMES);
    report.layers.forEach((l, i) => {
      expect(l.index).toBe(i);
      expect(l.kind).toBe(l.name === 'fc' ? 'fc' : 'conv');
      expect(l.macs).toBe(naiveMacs(l.geometry));
      expect(l.synthetic).toBe(false);
      expect(l.pa).toBe(16);
      expect(l.pw).toBe(16);
      expect(l.wb).toBe(16);
    });
    expect(report.layers[3].geometry).toMatchObject({
      C: 8,
      K: 16,
      H: SIZE,
      W: SIZE,
      Kh: 3,
      stride: 2,
      pad: 1,
    });
    expect(report.layers[6].geometry).toMatchObject({ kind: 'fc', C: 16, K: 4, H: 1, W: 1 });
  });

  it('has a result for every configured accelerator on every layer it applies to (EIE only on FC)', () => {
    for (const l of report.layers) {
      const expected = MODEL_IDS.filter((id) => id !== 'eie' || l.kind === 'fc');
      expect(Object.keys(l.results).sort()).toEqual([...expected].sort());
      for (const [id, r] of Object.entries(l.results)) {
        expect(r!.model).toBe(id);
        expect(r!.layer).toBe(l.name);
        expect(r!.macs).toBe(l.macs);
      }
    }
    const only = runPipeline(config({ accels: ['eie', 'dadn'] }), INPUTS);
    for (const l of only.layers)
      expect(Object.keys(l.results).sort()).toEqual(l.kind === 'fc' ? ['dadn', 'eie'] : ['dadn']);
    expect(Object.keys(only.totals.results).sort()).toEqual(['dadn', 'eie']);
  });

  it('derives every ratio from the counts: speedup, occupancy, potential', () => {
    for (const l of report.layers)
      for (const r of Object.values(l.results)) {
        expectRelClose(r!.speedup, r!.baselineCycles / Math.max(r!.cycles, 1));
        expectRelClose(r!.occupancy, r!.effectualWork / (r!.slotsPerCycle * Math.max(r!.cycles, 1)));
        if (r!.potential) {
          const dense = l.macs * l.wb * l.wb;
          expectRelClose(r!.potential.speedup, dense / r!.potential.bits, 1e-9);
          expectRelClose(r!.potential.workReductionPct, 100 * (1 - r!.potential.bits / dense), 1e-9);
        }
      }
  });

  it('gives totals that are sums of the per-layer means, speedup = Σ baseline / Σ cycles', () => {
    expect(report.totals.macs).toBe(report.layers.reduce((s, l) => s + l.macs, 0));
    expect(Object.keys(report.totals.results).sort()).toEqual([...MODEL_IDS].sort());
    for (const id of MODEL_IDS) {
      const layers = report.layers.filter((l) => l.results[id]);
      const cycles = layers.reduce((s, l) => s + l.results[id]!.cycles, 0);
      const baseline = layers.reduce((s, l) => s + l.results[id]!.baselineCycles, 0);
      const work = layers.reduce((s, l) => s + l.results[id]!.effectualWork, 0);
      const t = report.totals.results[id]!;
      expectRelClose(t.cycles, cycles);
      expectRelClose(t.baselineCycles, baseline);
      expectRelClose(t.effectualWork, work);
      expectRelClose(t.speedup, baseline / cycles);
    }
  });

  it('gives the term potential of the layer equal to Laconic’s potential (same §7.3 rule)', () => {
    for (const l of report.layers)
      expectRelClose(l.termPotential, l.results.laconic!.potential!.speedup, 1e-9);
  });

  it('is deterministic: the same configuration gives byte-identical JSON', () => {
    expect(JSON.stringify(runPipeline(cfg, INPUTS))).toBe(JSON.stringify(report));
  });

  it('gives the same JSON for the configuration read back from JSON (full or as a subset) as for the defaults', () => {
    const defaults = config();
    const base = JSON.stringify(runPipeline(defaults, INPUTS));
    const full = configFromJson(JSON.parse(JSON.stringify(defaults)));
    expect(JSON.stringify(runPipeline(full, INPUTS))).toBe(base);
    const subset = configFromJson({ model: 'custom' });
    expect(JSON.stringify(runPipeline(subset, INPUTS))).toBe(base);
  });
});

describe('several images', () => {
  const cfg = config({ images: 3 });
  const prepared = prepareNetwork(cfg, INPUTS);
  const report = simulateNetwork(prepared, cfg);
  const single = [0, 1, 2].map((n) => simulateNetwork(onlyImage(prepared, n), cfg));

  it('reports per-layer means of the single-image runs, and ratios of those means', () => {
    report.layers.forEach((l, i) => {
      const mean = (f: (r: SimReport) => number) => single.reduce((s, r) => s + f(r), 0) / single.length;
      expectRelClose(
        l.actSparsity,
        mean((r) => r.layers[i].actSparsity),
      );
      expectRelClose(
        l.meanTermsPerAct,
        mean((r) => r.layers[i].meanTermsPerAct),
      );
      const bits = mean((r) => (l.macs * l.wb * l.wb) / r.layers[i].termPotential);
      expectRelClose(l.termPotential, (l.macs * l.wb * l.wb) / bits, 1e-9);
      for (const id of Object.keys(l.results) as ModelId[]) {
        const r = l.results[id]!;
        const cycles = mean((s) => s.layers[i].results[id]!.cycles);
        const baseline = mean((s) => s.layers[i].results[id]!.baselineCycles);
        expectRelClose(r.cycles, cycles);
        expectRelClose(r.baselineCycles, baseline);
        expectRelClose(
          r.effectualWork,
          mean((s) => s.layers[i].results[id]!.effectualWork),
        );
        expectRelClose(r.speedup, baseline / Math.max(cycles, 1));
        if (r.potential)
          expectRelClose(
            r.potential.bits,
            mean((s) => s.layers[i].results[id]!.potential!.bits),
          );
      }
    });
  });

  it('runs the forward pass per image: image n alone gives the same codes where the activation profile agrees', () => {
    for (let n = 0; n < 3; n++) {
      const alone = prepareNetwork(config({ images: 1, imageOffset: n }), INPUTS);
      // Every test image spans [-1, 1], so the input layer's profile (and codes) must agree.
      expect(alone.actProfiles[0]).toEqual(prepared.actProfiles[0]);
      let compared = 0;
      alone.layers.forEach((w, i) => {
        if (alone.actProfiles[i].frac !== prepared.actProfiles[i].frac) return;
        expect(w.acts[0]).toEqual(prepared.layers[i].acts[n]);
        compared++;
      });
      expect(compared).toBeGreaterThan(0);
    }
  });
});

describe('quantisation in the pipeline', () => {
  const fixed = prepareNetwork(config(), INPUTS);
  const twnCfg = withQuant((c) => (c.quant.weights.scheme = 'twn'));
  const twn = prepareNetwork(twnCfg, INPUTS);
  const twnReport = simulateNetwork(twn, { ...twnCfg, accels: ['dadn'] });

  it('turns the inner layers ternary under TWN (Pw 2, codes in {-1, 0, 1}); first conv and last FC stay 16-bit', () => {
    twn.layers.forEach((w, i) => {
      const l = twnReport.layers[i];
      const outer = i === 0 || w.geometry.kind === 'fc';
      expect(l.weightScheme).toBe(outer ? 'fixed' : 'twn');
      if (outer) {
        expect(w.pw).toBe(16);
        expect(String(l.quantMeta.policy)).toMatch(i === 0 ? /first conv/ : /last fc/);
        expect(w.weights).toEqual(fixed.layers[i].weights);
        return;
      }
      expect(w.pw).toBe(2);
      expect(l.pw).toBe(2);
      expect(w.weights.every((v) => v === -1 || v === 0 || v === 1)).toBe(true);
      expect(fixed.layers[i].weights.some((v) => Math.abs(v) > 1)).toBe(true);
      expect(l.weightSparsity).toBe(zeroShare(w.weights));
      expect(l.weightSparsity).toBeGreaterThan(0.1);
      expect(l.quantMeta.delta).toBeGreaterThan(0);
    });
  });

  it('reports activation (and weight) sparsity as the fraction of zero codes', () => {
    const r = simulateNetwork(fixed, { ...config(), accels: [] });
    r.layers.forEach((l, i) => {
      expect(l.actSparsity).toBe(zeroShare(fixed.layers[i].acts[0]));
      expect(l.weightSparsity).toBe(zeroShare(fixed.layers[i].weights));
      expect(l.pa).toBe(16);
    });
    // ReLU outputs feed every conv after the stem: about half of them are zero for a random network.
    for (const l of r.layers.slice(1, -1)) expect(l.actSparsity).toBeGreaterThan(0.2);
    expect(r.layers[0].actSparsity).toBeLessThan(0.05);
  });

  it('raises activation sparsity with a ReLU threshold, and keeps no value below it', () => {
    const theta = 0.5;
    const cfg = withQuant((c) => (c.quant.reluThreshold = { enabled: true, mode: 'absolute', theta }));
    const raised = prepareNetwork(cfg, INPUTS);
    expect(raised.layers[0].acts[0]).toEqual(fixed.layers[0].acts[0]); // the image is not a ReLU output
    const first = raised.layers[1]; // input of layer1.0.conv1 = thresholded ReLU of the stem
    expect(zeroShare(first.acts[0])).toBeGreaterThan(zeroShare(fixed.layers[1].acts[0]));
    const step = 2 ** -raised.actProfiles[1].frac;
    for (const code of first.acts[0])
      if (code !== 0) expect(code * step).toBeGreaterThanOrEqual(theta - step);
    const meanSparsity = (p: PreparedNetwork) =>
      p.layers.slice(1).reduce((s, w) => s + zeroShare(w.acts[0]), 0) / (p.layers.length - 1);
    expect(meanSparsity(raised)).toBeGreaterThan(meanSparsity(fixed));
    // Accuracy: the float network ignores the threshold.
    expect(raised.accuracy!.float).toBe(fixed.accuracy!.float);
  });
});

describe('accuracy', () => {
  const n = 5;
  const net = loadOnnxModel(MODEL);
  const engine = createEngine(net);
  const per = SIZE * SIZE;
  const floatLogits = engine.run(DATASET.images.subarray(0, n * per), n);
  // Labels: the float network's own answer for images 0..2, a wrong one for 3 and 4 -> float top-1 = 3/5.
  const labels = Uint8Array.from({ length: DATASET.count }, (_, i) => {
    const best = argmax(floatLogits.logits, floatLogits.classes, Math.min(i, n - 1));
    return i < 3 ? best : (best + 1) % floatLogits.classes;
  });
  const dataset: Dataset = { ...DATASET, labels };
  const inputs: PipelineInputs = { ...INPUTS, dataset };

  it('equals top-1 computed here from the engine’s logits, float and quantised', () => {
    const cfg = withQuant((c) => (c.quant.weights.scheme = 'twn'), { images: n, accels: ['dadn'] });
    const prepared = prepareNetwork(cfg, inputs);
    expect(prepared.accuracy!.images).toBe(n);
    expect(prepared.accuracy!.float).toBe(3 / 5);
    const overrides = new Map(net.layers.map((l, i) => [l.name, prepared.quantized[i].values]));
    const q = engine.run(dataset.images.subarray(0, n * per), n, { weightOverrides: overrides });
    let correct = 0;
    for (let i = 0; i < n; i++) if (argmax(q.logits, q.classes, i) === labels[i]) correct++;
    expect(prepared.accuracy!.quantized).toBe(correct / n);
    expect(simulateNetwork(prepared, cfg).accuracy).toEqual(prepared.accuracy);
  });

  it('evaluateAccuracy gives the same top-1 in batches, with progress up to 1', () => {
    const cfg = withQuant((c) => (c.quant.weights.scheme = 'twn'), { images: n });
    const events: Progress[] = [];
    const acc = evaluateAccuracy(cfg, inputs, n, { onProgress: (p) => events.push(p) }, 2);
    expect(acc).toEqual(prepareNetwork(cfg, inputs).accuracy);
    expect(events.map((e) => e.stage)).toEqual(['accuracy', 'accuracy', 'accuracy']);
    expect(events.map((e) => e.fraction)).toEqual([2 / 5, 4 / 5, 1]);
  });
});

describe('traceTile', () => {
  const cfg = config({ accels: ['dlac', 'pragmatic'] });
  const prepared = prepareNetwork(cfg, INPUTS);
  const report = simulateNetwork(prepared, cfg);
  const full = (layer: string, id: ModelId, filterBlock: number, windowBlock: number): TileTrace =>
    traceTile(prepared, cfg, layer, id, { filterBlock, windowBlock, maxCycles: 1e6 });
  const effectualStates = (t: TileTrace) =>
    t.states.reduce((s, v) => s + (v === UnitState.Effectual ? 1 : 0), 0);

  it('DLAC: the tiles’ cycles add up to the layer’s conv cycles and their effectual states to its effectual MACs', () => {
    const dlacCfg = readDlacConfig(Object.fromEntries(DLAC_PARAMS.map((p) => [p.name, p.default])));
    prepared.layers.forEach((w, i) => {
      const layer = prepareDlac(layerInput(w, 0), dlacCfg);
      let cycles = 0;
      let effectual = 0;
      for (let fb = 0; fb < layer.filterBlocks; fb++)
        for (let wb = 0; wb < layer.windowBlocks; wb++) {
          const t = full(w.name, 'dlac', fb, wb);
          expect(t.storedCycles).toBe(t.cycles);
          expect(t.states.length).toBe(t.cycles * t.peRows * t.peCols * t.unitsPerPE);
          cycles += t.cycles;
          effectual += effectualStates(t);
        }
      const r = report.layers[i].results.dlac!;
      expect(cycles).toBe(r.extra!.convCycles);
      expect(effectual).toBe(r.effectualWork);
    });
  });

  it('Pragmatic: one window group or FC traces the layer’s cycles; window groups chain over them', () => {
    for (const l of report.layers) {
      const r = l.results.pragmatic!;
      const windows =
        l.kind === 'fc'
          ? 1
          : naiveMacs(l.geometry) / (l.geometry.K * l.geometry.C * l.geometry.Kh * l.geometry.Kw);
      const groups = l.kind === 'fc' ? 1 : Math.ceil(windows / 16);
      const traces = Array.from({ length: groups }, (_, g) => full(l.name, 'pragmatic', 0, g));
      for (const t of traces) {
        expect(t.model).toBe('pragmatic');
        expect(t.layer).toBe(l.name);
        expect(t.cycles).toBeLessThanOrEqual(r.cycles);
        expect(t.columnProgress!.length).toBe(t.storedCycles * t.peCols);
      }
      if (groups === 1) expect(traces[0].cycles).toBe(r.cycles);
      // Group g starts no later than group g-1 ends, and the last one ends with the layer.
      else expect(traces.reduce((s, t) => s + t.cycles, 0)).toBeGreaterThanOrEqual(r.cycles);
      // Every term is one effectual lane-cycle on each active row (K <= 16 rows: one tile).
      expect(traces.reduce((s, t) => s + effectualStates(t), 0)).toBe(r.effectualWork);
    }
    expect(report.layers.some((l) => l.kind === 'conv' && l.geometry.H === SIZE)).toBe(true); // multi-group layers exist
  });

  it('records at most maxCycles cycles but reports the tile’s full count', () => {
    const t = traceTile(prepared, cfg, 'layer1.0.conv1', 'dlac', {
      filterBlock: 0,
      windowBlock: 0,
      maxCycles: 3,
    });
    expect(t.storedCycles).toBe(3);
    expect(t.cycles).toBe(full('layer1.0.conv1', 'dlac', 0, 0).cycles);
    expect(t.states.length).toBe(3 * t.peRows * t.peCols * t.unitsPerPE);
  });

  it('names the problem: unknown layer, model without trace, model that does not apply, tile out of range', () => {
    const req = { filterBlock: 0, windowBlock: 0, maxCycles: 10 };
    expect(() => traceTile(prepared, cfg, 'nope', 'dlac', req)).toThrow(
      /no layer named 'nope' \(layers: conv1, layer1\.0\.conv1/,
    );
    expect(() => traceTile(prepared, cfg, 'conv1', 'bitfusion', req)).toThrow(/Bit Fusion has no cycle-by-cycle trace/);
    expect(() => traceTile(prepared, cfg, 'conv1', 'eie', req)).toThrow(/does not apply to layer conv1/);
    expect(() => traceTile(prepared, cfg, 'conv1', 'dlac', { ...req, filterBlock: 99 })).toThrow(
      /filterBlock 99/,
    );
  });
});

describe('layerDetails', () => {
  const cfg = withQuant((c) => (c.quant.weights.scheme = 'twn'));
  const prepared = prepareNetwork(cfg, INPUTS);

  it('gives histograms that sum to the tensor sizes, and TWN threshold lines at ±Δ', () => {
    for (const w of prepared.layers) {
      const d = layerDetails(prepared, w.name);
      const g = w.geometry;
      const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
      const weights = g.K * g.C * g.Kh * g.Kw;
      expect(d.name).toBe(w.name);
      for (const h of [d.weightHistogramFloat, d.weightHistogramQuant]) {
        expect(sum(h.counts)).toBe(weights);
        expect(h.edges.length).toBe(h.counts.length + 1);
        for (let b = 1; b < h.edges.length; b++) expect(h.edges[b]).toBeGreaterThan(h.edges[b - 1]);
      }
      expect(sum(d.termsPerAct)).toBe(g.C * g.H * g.W);
      expect(sum(d.termsPerWeight)).toBe(weights);
      expect(sum(d.termsPerPair)).toBe(naiveMacs(g));
      expect(d.weightSparsity).toBe(zeroShare(w.weights));
      expect(d.actSparsity).toBe(zeroShare(w.acts[0]));
      const delta = d.quantMeta.delta;
      if (typeof delta === 'number' && delta > 0) {
        expect(d.thresholds.map((t) => t.value)).toEqual([-delta, delta]);
        expect(d.termsPerWeight.length).toBeLessThanOrEqual(2); // ternary: 0 or 1 term
      } else expect(d.thresholds).toEqual([]);
    }
    expect(prepared.layers.filter((w) => layerDetails(prepared, w.name).thresholds.length === 2).length).toBe(
      5,
    );
  });
});

describe('prepareNetwork errors and progress', () => {
  it('names the problem', () => {
    expect(() => prepareNetwork(config(), { modelBytes: null })).toThrow(/model 'custom' needs an ONNX file/);
    expect(() => prepareNetwork(config(), { modelBytes: MODEL })).toThrow(/no test images/);
    const other = randomDataset(2, [1, 10, 10]);
    expect(() => prepareNetwork(config(), { modelBytes: MODEL, dataset: other })).toThrow(
      /expects 1x8x8 inputs but the test images are 1x10x10/,
    );
    expect(() => prepareNetwork(config({ imageOffset: 6 }), INPUTS)).toThrow(
      /image offset 6 is beyond the 6 shipped test images/,
    );
  });

  it('clamps the image count to the images there are', () => {
    expect(prepareNetwork(config({ images: 50, imageOffset: 4 }), INPUTS).accuracy!.images).toBe(2);
  });

  it('reports progress stage by stage with fractions in [0, 1]', () => {
    const events: Progress[] = [];
    runPipeline(config({ accels: ['dadn'] }), INPUTS, { onProgress: (p) => events.push(p) });
    const stages = events.map((e) => e.stage).filter((s, i, all) => s !== all[i - 1]);
    expect(stages).toEqual(['load', 'quantize', 'inference', 'quantize', 'simulate']);
    for (const e of events) expect(e.fraction >= 0 && e.fraction <= 1).toBe(true);
    expect(events.at(-1)).toMatchObject({ stage: 'simulate', fraction: 1 });
  });
});
