import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dlac } from '../../../src/sim/accel/dlac';
import {
  chunkCost,
  DLAC_PARAMS,
  dlacTile,
  prepareDlac,
  readDlacConfig,
} from '../../../src/sim/accel/dlacCore';
import { UnitState, type AccelLayerInput, type Params } from '../../../src/sim/accel/types';
import { cdiv, layerMacs } from '../../../src/sim/types';
import { arbLayer, withActs, withWeights, zeroSome } from './reference/arbitrary';
import { effectualPairs, referenceDlac, tileBuffers, dlacRefConfig, tileCounts } from './reference/dlac';
import { naiveDlacCycles } from './reference/dlacNaive';
import { paddedView } from './reference/padded';
import { conv, layerInput } from './reference/synthetic';
import { target } from './reference/validation';

const arbParams: fc.Arbitrary<Params> = fc.record({
  rows: fc.integer({ min: 1, max: 3 }),
  cols: fc.integer({ min: 1, max: 3 }),
  unitsPerPE: fc.integer({ min: 1, max: 3 }),
  buffersPerPE: fc.integer({ min: 1, max: 4 }),
  mapping: fc.constantFrom('windowsPerPE', 'filtersPerPE'),
  chunk: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 30, max: 70 })),
  skipEmptyChunks: fc.boolean(),
});

/** The dlac.micro layer: 1 × 1 conv, 4 channels, one filter, output 1 × 2 (window n = column n). */
function microLayer(weights: number[], window0: number[], window1: number[]): AccelLayerInput {
  const act = new Int32Array(8);
  for (let c = 0; c < 4; c++) {
    act[c * 2] = window0[c];
    act[c * 2 + 1] = window1[c];
  }
  return layerInput('micro', conv(4, 1, 1, 1, 1, 0, 2), act, Int32Array.from(weights));
}

const MICRO: Params = { rows: 1, cols: 1, unitsPerPE: 2, buffersPerPE: 2, chunk: 4, mapping: 'windowsPerPE' };

function microCounts(layer: AccelLayerInput): number[] {
  const L = prepareDlac(layer, readDlacConfig(MICRO));
  const e = new Int32Array(2);
  chunkCost(L, dlacTile(L, 0, 0), 0, e);
  return Array.from(e);
}

describe('dlac validation targets', () => {
  const micro = target('dlac.micro');
  const cases = micro.inputs.cases as { weights: number[]; window0: number[]; window1: number[] }[];
  const expected = micro.expected as Record<string, Record<string, number | number[] | boolean>>;

  it('case 1: e = (2, 1), 2 cycles against 4 dense', () => {
    const layer = microLayer(cases[0].weights, cases[0].window0, cases[0].window1);
    const r = dlac.simulate(layer, MICRO);
    expect(microCounts(layer)).toEqual(expected.case1.e);
    expect(r.cycles).toBe(expected.case1.cycles);
    expect(r.extra?.denseCycles).toBe(expected.case1.denseCycles);
    expect(r.speedup).toBe(expected.case1.speedup);
    expect(r.extra?.flopsPerCycle).toBe(expected.case1.flopsPerCycle);
  });

  it('case 2: one busy buffer is limited to one accumulation per cycle', () => {
    const layer = microLayer(cases[1].weights, cases[1].window0, cases[1].window1);
    const r = dlac.simulate(layer, MICRO);
    expect(microCounts(layer)).toEqual(expected.case2.e);
    expect(r.cycles).toBe(expected.case2.cycles);
    expect(r.extra?.denseCycles).toBe(expected.case2.denseCycles);
    expect(r.speedup).toBe(expected.case2.speedup);
  });

  it('case 3: an empty chunk costs 1 cycle, or 0 with skipEmptyChunks (degenerate)', () => {
    const layer = microLayer(cases[2].weights, cases[2].window0, cases[2].window1);
    const [noSkip, skip] = (cases[2] as unknown as { skipEmptyChunks: boolean[] }).skipEmptyChunks.map((s) =>
      dlac.simulate(layer, { ...MICRO, skipEmptyChunks: s }),
    );
    expect(noSkip.cycles).toBe(expected.case3.cyclesNoSkip);
    expect(skip.cycles).toBe(expected.case3.cyclesSkip);
    expect(skip.degenerate === true).toBe(expected.case3.degenerateWithSkip);
    expect(noSkip.degenerate).toBeUndefined();
    expect(skip.extra?.denseCycles).toBe(expected.case3.denseCycles);
  });

  it('defaults reach 1024 dense flops/cycle, 64-cycle chunks and a 64x skipping ceiling', () => {
    const peak = target('dlac.defaults.peak');
    const inputs = peak.inputs as Record<string, number>;
    const exp = peak.expected as Record<string, number>;
    const tol = peak.tolerance.value ?? 0;
    const def = (name: string) => DLAC_PARAMS.find((p) => p.name === name)?.default;
    expect([
      def('rows'),
      def('cols'),
      def('unitsPerPE'),
      def('buffersPerPE'),
      def('chunk'),
      def('clockMHz'),
    ]).toEqual([inputs.R, inputs.Cg, inputs.U, inputs.B, inputs.L, inputs.clockMHz]);
    // One full tile (16 filters × 128 windows), 2 chunks of 16 channels, everything non-zero.
    const g = conv(32, 16, 16, 1, 1, 0, 8);
    const dense = layerInput('peak', g, new Int32Array(32 * 16 * 8).fill(3), new Int32Array(16 * 32).fill(1));
    const r = dlac.simulate(dense, {});
    expect(r.extra?.denseFlopsPerCycle).toBe(exp.denseFlopsPerCycle);
    expect((r.extra?.denseCycles ?? 0) / 2).toBe(exp.denseChunkCycles);
    expect(r.cycles).toBe(r.extra?.denseCycles);
    // All activations zero: one cycle per chunk, the most skipping can gain.
    const empty = dlac.simulate(withActs(dense, new Int32Array(dense.act.length)), {});
    expect(empty.speedup).toBe(exp.maxSkipGain);
    expect(
      Math.abs(2780 / (r.extra?.denseFlopsPerCycle ?? 1) - exp.impliedAverageGainFor2780),
    ).toBeLessThanOrEqual(tol);
    expect(Math.abs(5000 / (r.extra?.denseFlopsPerCycle ?? 1) - exp.impliedGainFor5000)).toBeLessThanOrEqual(
      tol,
    );
    expect(r.extra?.gflops).toBeCloseTo(((r.extra?.flopsPerCycle ?? 0) * inputs.clockMHz) / 1000, 12);
  });
});

describe('dlac against the spec transliteration and a cycle-by-cycle grid', () => {
  it('cycles, dense cycles and effectual pairs equal the reference; the naive grid agrees', () => {
    fc.assert(
      fc.property(arbLayer(), arbParams, (layer, params) => {
        const r = dlac.simulate(layer, params);
        const ref = referenceDlac(layer, params);
        expect(r.cycles).toBe(ref.cycles);
        expect(r.extra?.denseCycles).toBe(ref.denseCycles);
        expect(r.effectualWork).toBe(ref.pairs);
        expect(r.skippedWork).toBe(layerMacs(layer.geometry) - ref.pairs);
        expect(naiveDlacCycles(layer, params)).toBe(ref.cycles);
      }),
      { seed: 42, numRuns: 150 },
    );
  });
});

describe('dlac layer totals with repeated filter / window words', () => {
  it('few distinct filters over many filter blocks (the shared-word reuse) equal the reference', () => {
    fc.assert(
      fc.property(
        arbLayer({ maxK: 4, maxC: 24, maxHW: 5 }),
        arbParams.filter((p) => (p.chunk as number) <= 32),
        fc.integer({ min: 2, max: 12 }),
        (layer, params, copies) => {
          // K' = copies · K filters cycling through the K random ones: most rows repeat a word.
          const K = layer.geometry.K * copies;
          const wgt = new Int32Array(copies * layer.wgt.length);
          for (let k = 0; k < copies; k++) wgt.set(layer.wgt, k * layer.wgt.length);
          const wide = withWeights({ ...layer, geometry: { ...layer.geometry, K } }, wgt);
          const r = dlac.simulate(wide, params);
          const ref = referenceDlac(wide, params);
          expect(r.cycles).toBe(ref.cycles);
          expect(r.extra?.denseCycles).toBe(ref.denseCycles);
          expect(r.effectualWork).toBe(ref.pairs);
        },
      ),
      { seed: 42, numRuns: 120 },
    );
  });
});

describe('dlac invariants', () => {
  it('cdiv(effectual, slots) <= cycles <= denseCycles and 0 <= occupancy <= 1', () => {
    fc.assert(
      fc.property(arbLayer({ maxK: 20, maxHW: 9 }), arbParams, (layer, params) => {
        const r = dlac.simulate(layer, params);
        expect(r.cycles).toBeGreaterThanOrEqual(cdiv(r.effectualWork, r.slotsPerCycle));
        expect(r.cycles).toBeLessThanOrEqual(r.extra?.denseCycles ?? -1);
        expect(r.occupancy).toBeGreaterThanOrEqual(0);
        expect(r.occupancy).toBeLessThanOrEqual(1);
        expect(r.idleSlots).toBe(r.slotsPerCycle * r.cycles - r.effectualWork);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('all-non-zero data without padding runs at exactly the dense cycles', () => {
    fc.assert(
      fc.property(arbLayer({ maxK: 20, maxPad: 0 }), arbParams, (layer, params) => {
        const full = withWeights(
          withActs(
            layer,
            layer.act.map(() => 5),
          ),
          layer.wgt.map(() => -1),
        );
        const r = dlac.simulate(full, params);
        expect(r.cycles).toBe(r.extra?.denseCycles);
        expect(r.effectualWork).toBe(layerMacs(layer.geometry));
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('all-zero activations give the minimum: one cycle per chunk and tile, or 0 with skipEmptyChunks', () => {
    fc.assert(
      fc.property(arbLayer({ maxK: 20 }), arbParams, (layer, params) => {
        const r = dlac.simulate(withActs(layer, new Int32Array(layer.act.length)), params);
        const v = paddedView(layer);
        const { filterBlocks, windowBlocks } = tileCounts(v, dlacRefConfig(params));
        const chunks = cdiv(v.C * v.Kh * v.Kw, params.chunk as number);
        expect(r.cycles).toBe(params.skipEmptyChunks ? 0 : filterBlocks * windowBlocks * chunks);
        expect(r.effectualWork).toBe(0);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('zeroing more activations or weights never increases cycles (peCost is monotone in every e_b)', () => {
    fc.assert(
      fc.property(
        arbLayer({ maxK: 12 }),
        arbParams,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        (layer, params, p, seed) => {
          const base = dlac.simulate(layer, params).cycles;
          expect(
            dlac.simulate(withActs(layer, zeroSome(layer.act, p, seed)), params).cycles,
          ).toBeLessThanOrEqual(base);
          expect(
            dlac.simulate(withWeights(layer, zeroSome(layer.wgt, p, seed)), params).cycles,
          ).toBeLessThanOrEqual(base);
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('pointwise cycles = ops · cdiv(K·Oh·Ow, R·Cg·U), added to the cycles only with includePointwise', () => {
    const layer = layerInput(
      'pw',
      conv(8, 6, 20, 3, 1, 1),
      new Int32Array(8 * 36).fill(1),
      new Int32Array(20 * 72).fill(1),
    );
    const ops = { ...layer, pointwiseOps: 3 };
    const params = { rows: 2, cols: 2, unitsPerPE: 2 };
    const off = dlac.simulate(ops, params);
    const on = dlac.simulate(ops, { ...params, includePointwise: true });
    expect(off.extra?.pointwiseCycles).toBe(3 * Math.ceil((20 * 36) / 8));
    expect(on.cycles).toBe(off.cycles + (off.extra?.pointwiseCycles ?? 0));
    expect(on.baselineCycles).toBe(off.baselineCycles + (off.extra?.pointwiseCycles ?? 0));
    expect(off.extra?.convCycles).toBe(off.cycles);
  });
});

describe('dlac trace', () => {
  const arbTile = fc.tuple(arbLayer({ maxK: 10 }), arbParams, fc.nat(), fc.nat());

  it('tile cycles equal the per-tile cycles of the reference; effectual unit-cycles equal the tile work', () => {
    fc.assert(
      fc.property(arbTile, ([layer, params, fPick, wPick]) => {
        const v = paddedView(layer);
        const cfg = dlacRefConfig(params);
        const { filterBlocks, windowBlocks } = tileCounts(v, cfg);
        const fb = fPick % filterBlocks;
        const wb = wPick % windowBlocks;
        const ref = referenceDlac(layer, params);
        const tr = dlac.trace!(layer, params, { filterBlock: fb, windowBlock: wb, maxCycles: 1e6 });
        expect(tr.cycles).toBe(ref.tileCycles[fb][wb]);
        expect(tr.storedCycles).toBe(tr.cycles);
        expect([tr.peRows, tr.peCols, tr.unitsPerPE]).toEqual([cfg.R, cfg.Cg, cfg.B]);

        // Per buffer: effectual unit-cycles = its effectual pairs over all chunks; inactive buffers never change.
        const bufs = tileBuffers(v, cfg, fb, wb);
        const D = v.C * v.Kh * v.Kw;
        let tileWork = 0;
        let tileSkipped = 0;
        for (let r = 0; r < cfg.R; r++)
          for (let c = 0; c < cfg.Cg; c++)
            for (let b = 0; b < cfg.B; b++) {
              let effectual = 0;
              let inactive = 0;
              for (let t = 0; t < tr.storedCycles; t++) {
                const s = tr.states[((t * cfg.R + r) * cfg.Cg + c) * cfg.B + b];
                if (s === UnitState.Effectual) effectual++;
                if (s === UnitState.Inactive) inactive++;
              }
              const buf = bufs[r][c][b];
              let pairs = 0;
              if (buf)
                for (let q = 0; q < D; q += cfg.L) {
                  const n = effectualPairs(v, buf[0], buf[1], q, Math.min(cfg.L, D - q)).length;
                  pairs += n;
                  tileSkipped += Math.min(cfg.L, D - q) - n;
                }
              expect(effectual).toBe(pairs);
              expect(inactive).toBe(buf ? 0 : tr.storedCycles);
              tileWork += pairs;
            }
        // At most U effectual buffers per PE and cycle.
        for (let t = 0; t < tr.storedCycles; t++)
          for (let p = 0; p < cfg.R * cfg.Cg; p++) {
            let busy = 0;
            for (let b = 0; b < cfg.B; b++)
              if (tr.states[(t * cfg.R * cfg.Cg + p) * cfg.B + b] === UnitState.Effectual) busy++;
            expect(busy).toBeLessThanOrEqual(cfg.U);
          }
        let traced = 0;
        for (let i = 0; i < tr.states.length; i++) if (tr.states[i] === UnitState.Effectual) traced++;
        expect(traced).toBe(tileWork);
        if (tr.cycles > 0) expect(tr.skippedPerCycle.reduce((a, b) => a + b, 0)).toBe(tileSkipped);
      }),
      { seed: 42, numRuns: 120 },
    );
  });

  it('maxCycles bounds the stored cycles but not the reported tile cycles', () => {
    const layer = layerInput(
      't',
      conv(16, 6, 4, 3, 1, 1),
      new Int32Array(16 * 36).fill(2),
      new Int32Array(4 * 144).fill(1),
    );
    const full = dlac.trace!(layer, {}, { filterBlock: 0, windowBlock: 0, maxCycles: 1e6 });
    const cut = dlac.trace!(layer, {}, { filterBlock: 0, windowBlock: 0, maxCycles: 5 });
    expect(cut.cycles).toBe(full.cycles);
    expect(cut.storedCycles).toBe(5);
    expect(cut.states).toEqual(full.states.subarray(0, cut.states.length));
    expect(() => dlac.trace!(layer, {}, { filterBlock: 1, windowBlock: 0, maxCycles: 5 })).toThrow(
      RangeError,
    );
  });
});
