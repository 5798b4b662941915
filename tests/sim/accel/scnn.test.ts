import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dadnCycles } from '../../../src/sim/accel/grid';
import { scnn } from '../../../src/sim/accel/scnn';
import { SCNN_PARAMS } from '../../../src/sim/accel/scnnLayer';
import { UnitState, type Params } from '../../../src/sim/accel/types';
import { cdiv, layerMacs } from '../../../src/sim/types';
import { arbLayer, withActs, withWeights, zeroSome } from './reference/arbitrary';
import { paddedView } from './reference/padded';
import { referenceScnn, scnnWork } from './reference/scnn';
import { naiveScnnCycles } from './reference/scnnNaive';
import { conv, fc as fcGeometry, randomLayer } from './reference/synthetic';

const arbParams: fc.Arbitrary<Params> = fc.record({
  peGrid: fc.integer({ min: 1, max: 4 }),
  I: fc.integer({ min: 1, max: 5 }),
  F: fc.integer({ min: 1, max: 5 }),
  accEntries: fc.integer({ min: 1, max: 256 }),
  banks: fc.oneof(fc.constant(32), fc.integer({ min: 1, max: 40 })),
  mode: fc.constantFrom('dnnsim', 'geometric'),
});

/** Larger channel groups and planes: long weight runs, interior activation groups, memoised sums. */
const arbBigParams: fc.Arbitrary<Params> = fc.record({
  peGrid: fc.integer({ min: 1, max: 3 }),
  I: fc.constant(4),
  F: fc.constant(4),
  accEntries: fc.integer({ min: 256, max: 4096 }),
  banks: fc.constant(32),
  mode: fc.constantFrom('dnnsim', 'geometric'),
});

/** Effectual MACs of the original layer (both operands non-zero), counted directly. */
function bothNonZero(layer: Parameters<typeof paddedView>[0]): number {
  const v = paddedView(layer);
  let n = 0;
  for (let f = 0; f < v.K; f++)
    for (let oh = 0; oh < v.Oh; oh++)
      for (let ow = 0; ow < v.Ow; ow++)
        for (let c = 0; c < v.C; c++)
          for (let i = 0; i < v.Kh; i++)
            for (let j = 0; j < v.Kw; j++)
              if (v.w(f, c, i, j) !== 0 && v.a(c, v.s * oh + i, v.s * ow + j) !== 0) n++;
  return n;
}

describe('scnn against the spec transliteration', () => {
  it('small layers: cycles, dense cycles, valid products and halo cycles equal the reference', () => {
    fc.assert(
      fc.property(
        arbLayer({ maxC: 4, maxK: 30, maxHW: 10, maxKernel: 5, maxStride: 3, maxPad: 3 }),
        arbParams,
        (layer, params) => {
          const r = scnn.simulate(layer, params);
          const ref = referenceScnn(layer, params);
          expect(r.cycles).toBe(ref.cycles);
          expect(r.baselineCycles).toBe(ref.dense);
          expect(r.effectualWork).toBe(ref.products);
          expect(r.stalls?.halo).toBe(ref.halo);
          expect(r.extra?.executedWork).toBe(ref.multiplied);
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('wide layers (long weight runs, many activation groups per PE) equal the reference', () => {
    fc.assert(
      fc.property(
        arbLayer({ maxC: 3, maxK: 120, maxHW: 20, maxKernel: 3, maxStride: 2, maxPad: 1, fcRate: 0.15 }),
        arbBigParams,
        (layer, params) => {
          const r = scnn.simulate(layer, params);
          const ref = referenceScnn(layer, params);
          expect(r.cycles).toBe(ref.cycles);
          expect(r.effectualWork).toBe(ref.products);
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });

  it('dense weights over many channels and filter groups (memoised shapes and mixed groups) equal the reference', () => {
    fc.assert(
      fc.property(
        arbLayer({ maxC: 6, maxK: 70, maxHW: 12, maxKernel: 3, maxStride: 2, maxPad: 1, fcRate: 0 }),
        fc.record({
          peGrid: fc.integer({ min: 1, max: 3 }),
          I: fc.integer({ min: 1, max: 5 }),
          F: fc.integer({ min: 1, max: 5 }),
          accEntries: fc.integer({ min: 8, max: 200 }),
          banks: fc.oneof(fc.constant(32), fc.integer({ min: 1, max: 40 })),
          mode: fc.constantFrom('dnnsim', 'geometric'),
        }),
        fc.constantFrom(0, 0.02),
        fc.integer({ min: 1, max: 1 << 30 }),
        (layer, params, zeroRate, seed) => {
          // Dense (or nearly dense) weights make bucket shapes repeat across channels and filter groups.
          const dense = withWeights(
            layer,
            zeroSome(
              layer.wgt.map((w) => w || 1),
              zeroRate,
              seed,
            ),
          );
          const r = scnn.simulate(dense, params);
          const ref = referenceScnn(dense, params);
          expect(r.cycles).toBe(ref.cycles);
          expect(r.effectualWork).toBe(ref.products);
          expect(r.extra?.executedWork).toBe(ref.multiplied);
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });

  it('a cycle-by-cycle simulation with per-bank queues and channel barriers gives the same cycles', () => {
    fc.assert(
      fc.property(
        arbLayer({ maxC: 3, maxK: 12, maxHW: 8, maxKernel: 3, maxStride: 2, maxPad: 2 }),
        arbParams,
        (layer, params) => {
          expect(naiveScnnCycles(layer, params)).toBe(scnn.simulate(layer, params).cycles);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe('scnn invariants', () => {
  it('cycles >= cdiv(products, Pg²·I·F) and 0 <= occupancy <= 1', () => {
    fc.assert(
      fc.property(
        arbLayer({ maxC: 5, maxK: 40, maxHW: 12, maxKernel: 5, maxStride: 3, maxPad: 3 }),
        arbParams,
        (layer, params) => {
          const r = scnn.simulate(layer, params);
          const pg = params.peGrid as number;
          expect(r.slotsPerCycle).toBe(pg * pg * (params.I as number) * (params.F as number));
          expect(r.cycles).toBeGreaterThanOrEqual(cdiv(r.effectualWork, r.slotsPerCycle));
          expect(r.occupancy).toBeGreaterThanOrEqual(0);
          expect(r.occupancy).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('dense mode on all-non-zero data: with I = F = 1 and no padding or grid extension, cycles = dense', () => {
    fc.assert(
      fc.property(
        arbLayer({ maxC: 4, maxK: 10, maxHW: 3, maxKernel: 4, maxStride: 3, maxPad: 0, fcRate: 0 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom('dnnsim', 'geometric'),
        (layer, pg, mode) => {
          const g = {
            ...layer.geometry,
            H: layer.geometry.H * pg + pg * layer.geometry.Kh,
            W: layer.geometry.W * pg + pg * layer.geometry.Kw,
          };
          const full = randomLayer('full', g, 0, 0, 9);
          const r = scnn.simulate(full, { peGrid: pg, I: 1, F: 1, mode });
          expect(r.cycles).toBe(r.baselineCycles);
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  it('dense mode on all-non-zero data: 1 × 1 convs with rows a multiple of 4 per PE have no bank conflicts, cycles = dense', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        (C, K, pg, hMul, wMul) => {
          const full = randomLayer('full', conv(C, pg * hMul, K, 1, 1, 0, 4 * pg * wMul), 0, 0, C * K);
          const r = scnn.simulate(full, { peGrid: pg });
          expect(r.cycles).toBe(r.baselineCycles);
          expect(r.extra?.bankConflictPeCycles).toBe(0);
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  it('all-zero activations or weights leave only the halo cycles (the minimum)', () => {
    fc.assert(
      fc.property(
        arbLayer({ maxC: 4, maxK: 30, maxHW: 10, maxKernel: 4, maxStride: 2, maxPad: 2 }),
        arbParams,
        (layer, params) => {
          for (const z of [
            withActs(layer, new Int32Array(layer.act.length)),
            withWeights(layer, new Int32Array(layer.wgt.length)),
          ]) {
            const r = scnn.simulate(z, params);
            expect(r.cycles).toBe(r.stalls?.halo);
            expect(r.effectualWork).toBe(0);
          }
        },
      ),
      { seed: 42, numRuns: 80 },
    );
  });

  it('geometric mode computes exactly the effectual MACs; with stride 1 both modes agree', () => {
    fc.assert(
      fc.property(
        arbLayer({ maxC: 4, maxK: 20, maxHW: 9, maxKernel: 4, maxStride: 3, maxPad: 2, fcRate: 0.2 }),
        arbParams,
        (layer, params) => {
          const geo = scnn.simulate(layer, { ...params, mode: 'geometric' });
          const both = bothNonZero(layer);
          expect(geo.effectualWork).toBe(both);
          expect(geo.skippedWork).toBe(layerMacs(layer.geometry) - both);
          if (layer.geometry.stride === 1)
            expect(scnn.simulate(layer, { ...params, mode: 'dnnsim' }).cycles).toBe(geo.cycles);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  it('potential: Wb² per effectual MAC plus 1 per other MAC with zeroCount (0 without)', () => {
    const layer = randomLayer('p', conv(5, 7, 9, 3, 2, 1), 0.5, 0.4, 21);
    const both = bothNonZero(layer);
    const macs = layerMacs(layer.geometry);
    const on = scnn.simulate(layer, {});
    const off = scnn.simulate(layer, { zeroCount: false });
    expect(on.potential?.bits).toBe(256 * both + (macs - both));
    expect(off.potential?.bits).toBe(256 * both);
    expect(on.potential?.speedup).toBeCloseTo((macs * 256) / (256 * both + macs - both), 12);
    expect(on.extra?.speedupVsDaDN).toBeCloseTo(dadnCycles(layer, true) / on.cycles, 12);
  });

  it('FC layers run reshaped to (C/256) × 16 × 16 and match the reference', () => {
    const layer = randomLayer('fc', fcGeometry(300, 9), 0.3, 0.5, 5);
    const ref = referenceScnn(layer, {});
    const r = scnn.simulate(layer, {});
    expect([r.cycles, r.baselineCycles, r.effectualWork]).toEqual([ref.cycles, ref.dense, ref.products]);
  });

  it('declares the parameters of accelerators.md §10 with their defaults', () => {
    expect(SCNN_PARAMS.map((p) => [p.name, p.default])).toEqual([
      ['peGrid', 8],
      ['I', 4],
      ['F', 4],
      ['accEntries', 1024],
      ['banks', 32],
      ['zeroCount', true],
      ['mode', 'dnnsim'],
    ]);
  });
});

describe('scnn trace', () => {
  it('tile = (filter group, input channel): cycles = slowest PE, effectual unit-cycles = valid products', () => {
    fc.assert(
      fc.property(
        arbLayer({ maxC: 3, maxK: 20, maxHW: 10, maxKernel: 3, maxStride: 2, maxPad: 2 }),
        arbParams,
        fc.nat(),
        fc.nat(),
        (layer, params, fPick, cPick) => {
          const work = scnnWork(layer, params);
          const kcs = [...new Set(work.channels.map((ch) => ch.kc))];
          const fb = fPick % kcs.length;
          const channels = work.channels.filter((ch) => ch.kc === kcs[fb]);
          const ch = channels[cPick % channels.length];
          const tr = scnn.trace!(layer, params, { filterBlock: fb, windowBlock: ch.c, maxCycles: 1e6 });
          const peCycles = ch.groups.map((pe) =>
            pe.reduce((sum, g) => {
              const count = new Map<number, number>();
              for (const b of g) count.set(b, (count.get(b) ?? 0) + 1);
              return sum + Math.max(1, ...count.values());
            }, 0),
          );
          expect(tr.cycles).toBe(Math.max(...peCycles));
          const units = tr.unitsPerPE;
          let effectual = 0;
          let busyWrong = 0;
          for (let pe = 0; pe < ch.groups.length; pe++) {
            let last = -1;
            for (let t = 0; t < tr.storedCycles; t++)
              for (let u = 0; u < units; u++) {
                const state = tr.states[(t * ch.groups.length + pe) * units + u];
                if (state === UnitState.Effectual) {
                  effectual++;
                  last = t;
                }
              }
            if (last >= peCycles[pe]) busyWrong++;
          }
          expect(busyWrong).toBe(0);
          expect(effectual).toBe(
            ch.groups.reduce((sum, pe) => sum + pe.reduce((s, g) => s + g.length, 0), 0),
          );
        },
      ),
      { seed: 42, numRuns: 80 },
    );
  });
});
