import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cnvlutin, CNVLUTIN_PARAMS } from '../../../src/sim/accel/cnvlutin';
import { dadnCycles } from '../../../src/sim/accel/grid';
import { UnitState, type Params } from '../../../src/sim/accel/types';
import { cdiv, layerMacs } from '../../../src/sim/types';
import { arbLayer, withActs, zeroSome } from './reference/arbitrary';
import { cnvRefConfig, referenceCnvlutin, subunitSequence } from './reference/cnvlutin';
import { naiveCnvlutinCycles } from './reference/cnvlutinNaive';
import { paddedView } from './reference/padded';
import { conv, fc as fcGeometry, layerInput, randomLayer } from './reference/synthetic';

const arbParams: fc.Arbitrary<Params> = fc.record({
  slicing: fc.constantFrom('contiguous', 'interleaved'),
  fragment: fc.integer({ min: 1, max: 20 }),
  emptyFragmentCycles: fc.integer({ min: 0, max: 3 }),
  threshold: fc.constantFrom(0, 0, 50, 200),
});

const wideLayers = arbLayer({ maxC: 40, maxK: 300, maxHW: 5 });

describe('cnvlutin hand-worked cases', () => {
  it('1 × 1 window, 32 channels, F = 2: the busiest subunit sets the cycles; empty fragments cost E', () => {
    // Subunit u owns channels 2u, 2u + 1 (one fragment of 2): u0 [5, 7] -> 2, u1 [4, 0] -> 1, the rest [0, 0] -> E.
    const act = new Int32Array(32);
    act[0] = 5;
    act[1] = 7;
    act[2] = 4;
    const layer = layerInput('hand', fcGeometry(32, 3), act, new Int32Array(96).fill(1));
    const r = cnvlutin.simulate(layer, { fragment: 2 });
    expect(r.cycles).toBe(2);
    expect(r.baselineCycles).toBe(2);
    expect(r.effectualWork).toBe(3 * 3);
    expect(r.skippedWork).toBe(3 * 29);
    expect(cnvlutin.simulate(layer, { fragment: 2, emptyFragmentCycles: 3 }).cycles).toBe(3);
    expect(cnvlutin.simulate(layer, { fragment: 2, emptyFragmentCycles: 0 }).cycles).toBe(2);
    // threshold 4 drops the 4: u1 becomes empty.
    expect(cnvlutin.simulate(layer, { fragment: 2, threshold: 4 }).effectualWork).toBe(2 * 3);
  });

  it('C = 2 leaves 14 subunits idle: subunits 7 and 15 own channels 0 and 1', () => {
    // 2 × 2 kernel on a 2 × 2 input: one window; channel 0 has 3 non-zeros, channel 1 has 1.
    const act = Int32Array.from([1, 2, 0, 3, 0, 0, 9, 0]);
    const layer = layerInput('hand', conv(2, 2, 300, 2, 1, 0), act, new Int32Array(300 * 8).fill(1));
    const r = cnvlutin.simulate(layer, {});
    expect(r.cycles).toBe(3 * 2); // 3 cycles per filter set, 2 filter sets (300 filters)
    expect(r.baselineCycles).toBe(4 * 2);
    const inter = cnvlutin.simulate(layer, { slicing: 'interleaved' }); // subunits 0 and 1 instead
    expect(inter.cycles).toBe(6);
  });
});

describe('cnvlutin against the spec transliteration and a cycle-by-cycle model', () => {
  it('cycles, dense cycles and effectual MACs equal the reference; the naive subunits agree', () => {
    fc.assert(
      fc.property(wideLayers, arbParams, (layer, params) => {
        const r = cnvlutin.simulate(layer, params);
        const ref = referenceCnvlutin(layer, params);
        expect(r.cycles).toBe(ref.cycles);
        expect(r.baselineCycles).toBe(ref.dense);
        expect(r.effectualWork).toBe(ref.effectual);
        expect(r.skippedWork).toBe(layerMacs(layer.geometry) - ref.effectual);
        expect(naiveCnvlutinCycles(layer, params)).toBe(ref.cycles);
      }),
      { seed: 42, numRuns: 120 },
    );
  });
});

describe('cnvlutin with slices of several channels (bucketed fragments)', () => {
  it('slices of 2–6 channels against every fragment length equal the reference', () => {
    fc.assert(
      fc.property(arbLayer({ maxC: 96, maxK: 40, maxHW: 4 }), arbParams, (layer, params) => {
        const r = cnvlutin.simulate(layer, params);
        const ref = referenceCnvlutin(layer, params);
        expect(r.cycles).toBe(ref.cycles);
        expect(r.effectualWork).toBe(ref.effectual);
        expect(r.stalls?.subunitImbalance).toBeGreaterThanOrEqual(0);
      }),
      { seed: 42, numRuns: 80 },
    );
  });
});

describe('cnvlutin invariants', () => {
  it('cycles >= cdiv(effectual, 4096), 0 <= occupancy <= 1, dense = DaDN without §1.4 when C % 16 = 0', () => {
    fc.assert(
      fc.property(wideLayers, arbParams, (layer, params) => {
        const r = cnvlutin.simulate(layer, params);
        expect(r.slotsPerCycle).toBe(4096);
        expect(r.cycles).toBeGreaterThanOrEqual(cdiv(r.effectualWork, r.slotsPerCycle));
        expect(r.occupancy).toBeGreaterThanOrEqual(0);
        expect(r.occupancy).toBeLessThanOrEqual(1);
        if (layer.geometry.C % 16 === 0) expect(r.baselineCycles).toBe(dadnCycles(layer, false));
      }),
      { seed: 42, numRuns: 120 },
    );
    const even = randomLayer('even', conv(32, 6, 40, 3, 2, 1), 0.5, 0.3, 3);
    expect(cnvlutin.simulate(even, {}).baselineCycles).toBe(dadnCycles(even, false));
  });

  it('all-zero activations: every fragment costs E, so cycles = sets · windows · max_u fragments_u · E', () => {
    fc.assert(
      fc.property(wideLayers, arbParams, (layer, params) => {
        const r = cnvlutin.simulate(withActs(layer, new Int32Array(layer.act.length)), params);
        const v = paddedView(layer);
        const cfg = cnvRefConfig(params);
        let fragments = 0;
        for (let u = 0; u < 16; u++)
          fragments = Math.max(fragments, cdiv(subunitSequence(v, cfg, 0, u).length, cfg.F));
        expect(r.cycles).toBe(cdiv(v.K, 256) * v.Oh * v.Ow * fragments * cfg.E);
        expect(r.effectualWork).toBe(0);
      }),
      { seed: 42, numRuns: 80 },
    );
  });

  it('with emptyFragmentCycles <= 1, zeroing activations (or raising the threshold) never increases cycles', () => {
    fc.assert(
      fc.property(
        wideLayers,
        arbParams,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        (layer, params, p, seed) => {
          const monotone: Params = {
            ...params,
            emptyFragmentCycles: (params.emptyFragmentCycles as number) % 2,
          };
          const base = cnvlutin.simulate(layer, monotone).cycles;
          expect(
            cnvlutin.simulate(withActs(layer, zeroSome(layer.act, p, seed)), monotone).cycles,
          ).toBeLessThanOrEqual(base);
          const higher = { ...monotone, threshold: (monotone.threshold as number) + 100 };
          expect(cnvlutin.simulate(layer, higher).cycles).toBeLessThanOrEqual(base);
        },
      ),
      { seed: 42, numRuns: 120 },
    );
  });

  it('with emptyFragmentCycles = 2 it is not guaranteed: zeroing the last non-zero of a fragment adds a cycle', () => {
    const act = new Int32Array(16);
    act[0] = 1;
    const layer = layerInput('e2', fcGeometry(16, 1), act, new Int32Array(16).fill(1));
    expect(cnvlutin.simulate(layer, { emptyFragmentCycles: 2 }).cycles).toBe(2); // other subunits: one empty fragment
    const single = layerInput(
      'e2',
      fcGeometry(16, 1),
      Int32Array.from({ length: 16 }, () => 3),
      new Int32Array(16).fill(1),
    );
    expect(cnvlutin.simulate(single, { emptyFragmentCycles: 2 }).cycles).toBe(1);
    const fewer = withActs(
      single,
      single.act.map((v, i) => (i === 0 ? 0 : v)),
    );
    expect(cnvlutin.simulate(fewer, { emptyFragmentCycles: 2 }).cycles).toBe(2);
  });

  it('declares the parameters of accelerators.md §9 with their defaults', () => {
    expect(CNVLUTIN_PARAMS.map((p) => [p.name, p.default])).toEqual([
      ['slicing', 'contiguous'],
      ['fragment', 16],
      ['emptyFragmentCycles', 1],
      ['threshold', 0],
    ]);
  });
});

describe('cnvlutin trace', () => {
  it('per window: cycles = the slowest subunit, Σ effectual unit-cycles = non-zeros × filters of the set', () => {
    fc.assert(
      fc.property(wideLayers, arbParams, fc.nat(), fc.nat(), (layer, params, nPick, sPick) => {
        const v = paddedView(layer);
        const cfg = cnvRefConfig(params);
        const n = nPick % (v.Oh * v.Ow);
        const sets = cdiv(v.K, 256);
        const set = sPick % sets;
        const tr = cnvlutin.trace!(layer, params, { filterBlock: set, windowBlock: n, maxCycles: 1e6 });
        const total = cnvlutin.simulate(layer, params).cycles;
        let expectCycles = 0;
        let nonZeros = 0;
        let zeros = 0;
        for (let u = 0; u < 16; u++) {
          const seq = subunitSequence(v, cfg, n, u);
          let cost = 0;
          for (let f = 0; f < seq.length; f += cfg.F) {
            const nnz = seq.slice(f, f + cfg.F).reduce((a, b) => a + b, 0);
            cost += nnz > 0 ? nnz : cfg.E;
          }
          expectCycles = Math.max(expectCycles, cost);
          nonZeros += seq.reduce((a, b) => a + b, 0);
          zeros += seq.length - seq.reduce((a, b) => a + b, 0);
        }
        expect(tr.cycles).toBe(expectCycles);
        expect(tr.cycles).toBeLessThanOrEqual(total / sets);
        const filters = Math.min(256, v.K - set * 256);
        let effectual = 0;
        for (const s of tr.states) if (s === UnitState.Effectual) effectual++;
        expect(effectual).toBe(nonZeros * filters);
        if (tr.cycles > 0) expect(tr.skippedPerCycle.reduce((a, b) => a + b, 0)).toBe(zeros * filters);
        // A lane of a filter past K is never anything but Inactive.
        let wrong = 0;
        for (let t = 0; t < tr.storedCycles; t++)
          for (let tile = 0; tile < 16; tile++)
            for (let u = 0; u < 16; u++)
              for (let lane = 0; lane < 16; lane++)
                if (
                  tile * 16 + lane >= filters &&
                  tr.states[((t * 16 + tile) * 16 + u) * 16 + lane] !== UnitState.Inactive
                )
                  wrong++;
        expect(wrong).toBe(0);
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  it('Σ over windows of the traced cycles times the filter sets is the layer cycle count', () => {
    const layer = randomLayer('sum', conv(20, 5, 300, 3, 1, 1), 0.6, 0, 11);
    let sum = 0;
    for (let n = 0; n < 25; n++)
      sum += cnvlutin.trace!(layer, {}, { filterBlock: 1, windowBlock: n, maxCycles: 0 }).cycles;
    expect(sum * 2).toBe(cnvlutin.simulate(layer, {}).cycles);
  });
});
