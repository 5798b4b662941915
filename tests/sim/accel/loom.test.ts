import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loom } from '../../../src/sim/accel/loom';
import { stateTotals } from '../../../src/sim/accel/traceCanvas';
import type { AccelLayerInput, Params } from '../../../src/sim/accel/types';
import { cdiv, layerMacs } from '../../../src/sim/types';
import { layerArb, spikeLayerArb, withActs } from './reference/arbitraries';
import { expectResultInvariants } from './reference/invariants';
import { convGeometry, randomLayer } from './reference/layer';
import { loomReferenceCycles, loomReferenceWork } from './reference/loom';

const paramsArb = fc.record({
  precisionGranularity: fc.constantFrom(16, 32, 256),
  peSerialBits: fc.constantFrom(1, 2, 3),
  dynamicWeights: fc.boolean(),
  leadingBit: fc.boolean(),
});

const outputs = (x: AccelLayerInput) => {
  const g = x.geometry;
  return (
    (Math.floor((g.H + 2 * g.pad - g.Kh) / g.stride) + 1) *
    (Math.floor((g.W + 2 * g.pad - g.Kw) / g.stride) + 1)
  );
};

// Non-default grids too: 8 lanes, 5 columns (short column groups), small filter sets.
const gridArb = fc.oneof(
  fc.constant({}),
  fc.record({
    lanes: fc.constantFrom(8, 16),
    columns: fc.constantFrom(5, 16),
    rows: fc.constantFrom(3, 16),
    tiles: fc.constantFrom(2, 16),
  }),
);

describe('Loom (§8 on the Laconic grid)', () => {
  it('fast model equals the literal reference', () => {
    fc.assert(
      fc.property(layerArb({ maxK: 300, maxC: 24 }), paramsArb, gridArb, (input, p: Params, grid) => {
        const params = { ...p, ...grid };
        const r = loom.simulate(input, params);
        expect(r.cycles).toBe(loomReferenceCycles(input, params));
        expectResultInvariants(r);
      }),
      { seed: 42, numRuns: 80 },
    );
  });

  it('one activation spike: fast model equals the reference wherever the spike is', () => {
    fc.assert(
      fc.property(spikeLayerArb({ maxK: 300, maxC: 24 }), paramsArb, (input, params: Params) => {
        expect(loom.simulate(input, params).cycles).toBe(loomReferenceCycles(input, params));
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('a spike at every activation position in turn (partial brick, partial window group)', () => {
    const base = randomLayer(5, convGeometry(17, 5, 4, 3, 1, 1), { actDensity: 0.5, maxAct: 1 });
    for (const params of [
      { precisionGranularity: 16, leadingBit: false, dynamicWeights: true },
      { precisionGranularity: 32, leadingBit: true, peSerialBits: 2 },
    ] as Params[])
      for (let x = 0; x < base.act.length; x++) {
        const act = base.act.slice();
        act[x] = x % 2 ? 1000 : -77;
        const input = withActs(base, act);
        expect(loom.simulate(input, params).cycles).toBe(loomReferenceCycles(input, params));
      }
  });

  it('effectual work is Σ width(a) · (dynamicWeights ? width(w) : Pw) over the original MACs', () => {
    fc.assert(
      fc.property(layerArb({ maxK: 12, maxC: 20, maxH: 6 }), paramsArb, (input, params: Params) => {
        expect(loom.simulate(input, params).effectualWork).toBe(loomReferenceWork(input, params));
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  it('static weights: Pw · cdiv(actWidth, peSerialBits) per step; all-zero data gives Pw per step', () => {
    const input = randomLayer(3, convGeometry(20, 5, 300, 3, 1, 1), { pw: 5 });
    input.act.fill(0);
    const steps = 9 * 2;
    // 25 windows -> 2 groups; K = 300 -> 2 filter sets.
    expect(loom.simulate(input, {}).cycles).toBe(2 * 2 * steps * 5);
    input.wgt.fill(0);
    expect(loom.simulate(input, { dynamicWeights: true }).cycles).toBe(2 * 2 * steps * 1);
  });

  it('all-zero activations and weights give the minimum: one cycle per group step (dynamic weights)', () => {
    fc.assert(
      fc.property(layerArb({ maxK: 600 }), paramsArb, (input, params: Params) => {
        if (input.geometry.kind === 'fc') return;
        const zero = {
          ...withActs(input, new Int32Array(input.act.length)),
          wgt: new Int32Array(input.wgt.length),
        };
        const r = loom.simulate(zero, { ...params, dynamicWeights: true });
        const steps = r.baselineCycles / (outputs(input) * cdiv(input.geometry.K, 256));
        expect(r.cycles).toBe(cdiv(outputs(input), 16) * steps * cdiv(input.geometry.K, 256));
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('zeroing activations never increases cycles', () => {
    fc.assert(
      fc.property(
        layerArb({ maxK: 300 }),
        paramsArb,
        fc.integer({ min: 1, max: 1e9 }),
        (input, params: Params, seed) => {
          const act = input.act.slice();
          for (let x = 0; x < act.length; x++) if ((x * 2654435761 + seed) % 3 === 0) act[x] = 0;
          expect(loom.simulate(withActs(input, act), params).cycles).toBeLessThanOrEqual(
            loom.simulate(input, params).cycles,
          );
        },
      ),
      { seed: 42, numRuns: 80 },
    );
  });

  it('potential is Pa · Pw per MAC', () => {
    const input = randomLayer(5, convGeometry(8, 6, 10, 3, 2, 1), { pa: 7, pw: 3, wb: 16 });
    const r = loom.simulate(input, {});
    expect(r.potential!.bits).toBe(layerMacs(input.geometry) * 21);
    expect(r.potential!.speedup).toBeCloseTo(256 / 21, 12);
  });
});

describe('Loom traces', () => {
  it('tile traces: group durations add up to the layer cycles; Effectual and skipped add up to the work (peSerialBits 1)', () => {
    const p = fc.record({
      dynamicWeights: fc.boolean(),
      leadingBit: fc.boolean(),
      precisionGranularity: fc.constantFrom(16, 32),
    });
    // A small grid (filter sets of 4 x 2 filters) gives several filter sets and small traces.
    const grid = { rows: 4, tiles: 2 };
    fc.assert(
      fc.property(layerArb({ maxK: 20, maxC: 20, maxH: 4 }), p, (wide, q) => {
        const params: Params = { ...q, ...grid };
        // Narrow weights keep the painted traces small (cycles per step = Pw x activation width).
        const input = { ...wide, pw: 1 + (wide.pw % 3) };
        const r = loom.simulate(input, params);
        const blocks = cdiv(input.geometry.K, 4);
        const isFc = input.geometry.kind === 'fc';
        const groups = isFc ? 1 : cdiv(outputs(input), 16);
        let effectual = 0;
        let skipped = 0;
        let cycles = 0;
        for (let wb = 0; wb < groups; wb++)
          for (let fb = 0; fb < blocks; fb++) {
            const t = loom.trace!(input, params, { filterBlock: fb, windowBlock: wb, maxCycles: 1e6 });
            expect(t.storedCycles).toBe(t.cycles);
            expect(t.states.length).toBe(t.cycles * 4 * 16 * 16);
            effectual += stateTotals(t).effectual;
            skipped += t.skippedPerCycle.reduce((s, v) => s + v, 0);
            if (fb % 2 === 0) cycles += t.cycles;
          }
        expect(effectual).toBe(r.effectualWork);
        expect(skipped).toBe(r.skippedWork);
        if (!isFc) expect(cycles).toBe(r.cycles);
      }),
      { seed: 42, numRuns: 25 },
    );
  });

  it('a trace stores at most maxCycles cycles and keeps rows past K inactive', () => {
    const input = randomLayer(11, convGeometry(21, 4, 18, 3, 1, 1), { signedActs: true });
    const t = loom.trace!(input, { dynamicWeights: true }, { filterBlock: 1, windowBlock: 0, maxCycles: 7 });
    expect(t.storedCycles).toBe(7);
    expect(t.cycles).toBe(loom.simulate(input, { dynamicWeights: true }).cycles);
    const perRow = t.peCols * t.unitsPerPE;
    for (let cycle = 0; cycle < 7; cycle++)
      for (let r = 2; r < 16; r++) {
        const k = (cycle * 16 + r) * perRow;
        expect(t.states.subarray(k, k + perRow).every((s) => s === 0)).toBe(true);
      }
  });
});
