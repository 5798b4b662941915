import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeResult } from '../../../src/sim/accel/run';
import { MODEL_IDS, type ModelId, type WorkUnit } from '../../../src/sim/accel/types';
import { layerEnergy, networkEnergy, sumEnergy } from '../../../src/sim/energy/energy';
import type { EnergyLayerInput } from '../../../src/sim/energy/work';
import { layerMacs, type LayerGeometry } from '../../../src/sim/types';

const UNITS: Record<ModelId, WorkUnit> = {
  dadn: 'mac',
  stripes: 'bit',
  dstripes: 'bit',
  pragmatic: 'term',
  laconic: 'termPair',
  loom: 'bitProduct',
  cnvlutin: 'mac',
  scnn: 'mac',
  bitfusion: 'mac',
  eie: 'entry',
  dlac: 'mac',
};

function result(
  model: ModelId,
  g: LayerGeometry,
  effectualWork: number,
  cycles = 100,
  extra?: Record<string, number>,
) {
  return makeResult({
    model,
    layer: 'L',
    cycles,
    baselineCycles: cycles,
    macs: layerMacs(g),
    effectualWork,
    unit: UNITS[model],
    slotsPerCycle: 4096,
    skippedWork: 0,
    ...(extra ? { extra } : {}),
  });
}

// 16 channels, 4 × 4 input, 16 filters 3 × 3, stride 1, pad 1: 16 windows, 9 steps, 36,864 MACs.
const G: LayerGeometry = { kind: 'conv', C: 16, H: 4, W: 4, K: 16, Kh: 3, Kw: 3, stride: 1, pad: 1 };
const WEIGHTS16 = { n: 2304, nnz: 2304, bits: 2304 * 16 };

function input(model: ModelId, pa: number, pw: number, effectualWork: number): EnergyLayerInput {
  return {
    geometry: G,
    pa,
    pw,
    result: result(model, G, effectualWork),
    weights: WEIGHTS16,
    nonZeroActs: 256,
  };
}

describe('energy of hand-counted layers (§14)', () => {
  it('DaDN, 16-bit', () => {
    const e = layerEnergy(input('dadn', 16, 16, 36864));
    // 36,864 MACs × 0.8 pJ + 16 filters × 16 windows × 9 steps accumulations × 0.1 pJ
    expect(e.compute).toBeCloseTo(36864 * 0.8 + 2304 * 0.1, 9);
    // activations: 16 windows × 9 steps × 256 bits = 576 words at 20 pJ (32 KB);
    // weights: 16 windows × 9 steps × 16 rows × 256 bits = 9,216 words at 100 pJ (1 MB);
    // outputs: 16 × 16 × 16 bits = 64 words at 20 pJ
    expect(e.sram).toBeCloseTo(576 * 20 + 9216 * 100 + 64 * 20, 9);
    // DRAM: weights 36,864 + inputs 4,096 + outputs 4,096 bits = 704 words at 1,280 pJ
    expect(e.dram).toBeCloseTo(704 * 1280, 9);
    expect(e.leakage).toBe(0);
    expect(e.total).toBeCloseTo(e.compute + e.sram + e.dram, 9);
  });

  it('Stripes at Pa = 16 computes with the same energy as DaDN; at Pa = 8 bit products halve', () => {
    const dadn = layerEnergy(input('dadn', 16, 16, 36864));
    const str16 = layerEnergy(input('stripes', 16, 16, 36864 * 16));
    expect(str16.compute).toBeCloseTo(dadn.compute, 9);
    const str8 = layerEnergy(input('stripes', 8, 16, 36864 * 8));
    expect(str8.computeTerms[0].count).toBe(36864 * 8 * 16);
    expect(str8.compute).toBeCloseTo(36864 * 8 * 16 * (0.2 / 64) + 2304 * 0.1, 9);
    // 16 columns share each weight brick: one window group; activation bricks carry 8-bit values.
    const [acts, wgts] = str8.sramTerms;
    expect(acts.words).toBe((16 * 9 * 16 * 8) / 64);
    expect(wgts.words).toBe((1 * 9 * 16 * 256) / 64);
  });

  it('first-layer space-to-depth executes the zero-weight slots on value-agnostic models', () => {
    const conv1: LayerGeometry = {
      kind: 'conv',
      C: 3,
      H: 224,
      W: 224,
      K: 64,
      Kh: 7,
      Kw: 7,
      stride: 2,
      pad: 3,
    };
    const base = {
      geometry: conv1,
      pa: 16,
      pw: 16,
      weights: { n: 9408, nnz: 9408, bits: 9408 * 16 },
      nonZeroActs: 3 * 224 * 224,
    };
    const on = layerEnergy({ ...base, result: result('dadn', conv1, layerMacs(conv1)) });
    const off = layerEnergy({
      ...base,
      result: result('dadn', conv1, layerMacs(conv1)),
      params: { firstLayerSpaceToDepth: false },
    });
    // 12 channels × 4 × 4 kernel slots (192) instead of 3 × 7 × 7 (147) per window and filter
    expect(on.computeTerms[0].count).toBe(64 * 112 * 112 * 192);
    expect(off.computeTerms[0].count).toBe(layerMacs(conv1));
  });

  it('Bit Fusion: pow2ceil widths, floored at pmin', () => {
    const fcG: LayerGeometry = { kind: 'fc', C: 512, H: 1, W: 1, K: 1000, Kh: 1, Kw: 1, stride: 1, pad: 0 };
    const mk = (pa: number, pw: number) =>
      layerEnergy({
        geometry: fcG,
        pa,
        pw,
        result: result('bitfusion', fcG, 512000),
        weights: { n: 512000, nnz: 512000, bits: 512000 * pw },
        nonZeroActs: 512,
      }).computeTerms[0].count;
    expect(mk(8, 8)).toBe(512000 * 64);
    expect(mk(5, 3)).toBe(512000 * 8 * 4);
    expect(mk(1, 1)).toBe(512000 * 2 * 2);
    expect(mk(16, 16)).toBe(512000 * 256);
  });

  it('EIE: padding entries estimated from the CSC, or taken from the model', () => {
    // 8 × 4 FC on 4 PEs; 3 non-zero inputs; 6 real entries executed; the CSC has 10 non-zeros, 2 padding entries.
    const g: LayerGeometry = { kind: 'fc', C: 4, H: 1, W: 1, K: 8, Kh: 1, Kw: 1, stride: 1, pad: 0 };
    const base = {
      geometry: g,
      pa: 16,
      pw: 16,
      params: { pes: 4 },
      weights: { n: 32, nnz: 10, bits: 999, paddingEntries: 2 },
      nonZeroActs: 3,
    };
    const est = layerEnergy({ ...base, result: result('eie', g, 6) });
    const entries = 6 + (6 * 2) / 10;
    expect(est.compute).toBeCloseTo(entries * 0.8 + entries * 0.1, 9);
    const [acts, wgts, ptrs] = est.sramTerms;
    expect(acts.bits).toBe(3 * 16);
    expect(wgts.bits).toBeCloseTo(entries * 8, 9);
    expect(ptrs.bits).toBe(3 * 4 * 32);
    expect(est.dramTerm.weightBits).toBe(999);
    const exact = layerEnergy({ ...base, result: result('eie', g, 6, 100, { paddingEntriesExecuted: 1 }) });
    expect(exact.computeTerms[0].count).toBe(7);
  });

  it('leakage counts cycles; constants overrides reach the terms', () => {
    const e = layerEnergy(input('dadn', 16, 16, 36864), { leakagePerCycle: 2.5, dramPerWord: 640 });
    expect(e.leakage).toBe(250);
    expect(e.dram).toBeCloseTo(704 * 640, 9);
  });
});

describe('energy invariants', () => {
  const geometry = fc.oneof(
    fc.record({
      kind: fc.constant('conv' as const),
      C: fc.integer({ min: 1, max: 40 }),
      H: fc.integer({ min: 1, max: 12 }),
      W: fc.integer({ min: 1, max: 12 }),
      K: fc.integer({ min: 1, max: 300 }),
      Kh: fc.integer({ min: 1, max: 3 }),
      Kw: fc.integer({ min: 1, max: 3 }),
      stride: fc.integer({ min: 1, max: 2 }),
      pad: fc.integer({ min: 0, max: 1 }),
    }),
    fc.record({
      kind: fc.constant('fc' as const),
      C: fc.integer({ min: 1, max: 600 }),
      H: fc.constant(1),
      W: fc.constant(1),
      K: fc.integer({ min: 1, max: 600 }),
      Kh: fc.constant(1),
      Kw: fc.constant(1),
      stride: fc.constant(1),
      pad: fc.constant(0),
    }),
  );

  it('totals equal the sum of their parts, parts the sum of their terms', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODEL_IDS),
        geometry.filter((g) => g.H + 2 * g.pad >= g.Kh && g.W + 2 * g.pad >= g.Kw),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 16 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (model, g, pa, pw, workFraction, density, leakage) => {
          const macs = layerMacs(g);
          const n = g.K * g.C * g.Kh * g.Kw;
          const nnz = Math.floor(density * n);
          const e = layerEnergy(
            {
              geometry: g,
              pa,
              pw,
              result: result(model, g, Math.floor(workFraction * macs * 4)),
              weights: { n, nnz, bits: nnz * 8 + 64, paddingEntries: Math.floor(nnz / 3) },
              nonZeroActs: Math.floor(density * g.C * g.H * g.W),
            },
            { leakagePerCycle: leakage },
          );
          const sumOf = (xs: { energy: number }[]) => xs.reduce((s, t) => s + t.energy, 0);
          for (const part of [e.compute, e.sram, e.dram, e.leakage, e.total]) {
            expect(Number.isFinite(part)).toBe(true);
            expect(part).toBeGreaterThanOrEqual(0);
          }
          expect(e.compute).toBeCloseTo(sumOf(e.computeTerms), 6);
          expect(e.sram).toBeCloseTo(sumOf(e.sramTerms), 6);
          expect(e.dram).toBe(e.dramTerm.words * e.dramTerm.unitEnergy);
          expect(e.total).toBeCloseTo(e.compute + e.sram + e.dram + e.leakage, 6);
          for (const t of e.computeTerms) expect(t.energy).toBeCloseTo(t.count * t.unitEnergy, 6);
          for (const t of e.sramTerms) expect(t.words).toBe(Math.ceil(Math.ceil(t.bits) / 64));
        },
      ),
      { seed: 42, numRuns: 400 },
    );
  });

  it('network totals are sums over layers', () => {
    const layers = [
      input('pragmatic', 16, 16, 1000),
      input('pragmatic', 8, 8, 500),
      input('pragmatic', 4, 2, 0),
    ];
    const { layers: per, totals } = networkEnergy(layers);
    for (const key of ['compute', 'sram', 'dram', 'leakage', 'total'] as const)
      expect(totals[key]).toBeCloseTo(
        per.reduce((s, l) => s + l[key], 0),
        6,
      );
    const bp = totals.ops.find((o) => o.kind === 'bitProduct');
    expect(bp?.count).toBe(1000 * 16 + 500 * 8 + 0);
    expect(totals.model).toBe('pragmatic');
    expect(sumEnergy([...per, layerEnergy(input('dadn', 16, 16, 1))]).model).toBe('mixed');
  });

  it('more effectual work never costs less energy in the data-dependent models', () => {
    for (const model of [
      'dstripes',
      'pragmatic',
      'laconic',
      'loom',
      'cnvlutin',
      'scnn',
      'eie',
      'dlac',
    ] as const) {
      const lo = layerEnergy(input(model, 8, 8, 1000)).total;
      const hi = layerEnergy(input(model, 8, 8, 2000)).total;
      expect(hi, model).toBeGreaterThan(lo);
    }
  });
});
