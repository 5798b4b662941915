import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dstripes } from '../../../src/sim/accel/dstripes';
import { stripes } from '../../../src/sim/accel/stripes';
import { stateTotals } from '../../../src/sim/accel/traceCanvas';
import type { AccelLayerInput, Params } from '../../../src/sim/accel/types';
import { cdiv } from '../../../src/sim/types';
import { layerArb, spikeLayerArb, withActs } from './reference/arbitraries';
import { dstripesReference, dstripesReferenceWork } from './reference/dstripes';
import { expectResultInvariants } from './reference/invariants';
import { convGeometry, randomLayer } from './reference/layer';
import { refBrickIssue } from './reference/pragmatic';
import { refGroupCost } from './reference/widthsRef';

const paramsArb = fc.record({
  precisionGranularity: fc.constantFrom(16, 32, 64, 256),
  leadingBit: fc.boolean(),
  columnRegisters: fc.constantFrom(0, 1, 2, 4),
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

describe('Dynamic Stripes (§5)', () => {
  it('fast model equals the literal reference (cycles, skipped work)', () => {
    fc.assert(
      fc.property(layerArb({ maxK: 300 }), paramsArb, gridArb, (input, p: Params, grid) => {
        const params = { ...p, ...grid };
        const r = dstripes.simulate(input, params);
        const ref = dstripesReference(input, params);
        expect(r.cycles).toBe(ref.cycles);
        expect(r.skippedWork).toBe(ref.skipped);
        expectResultInvariants(r);
      }),
      { seed: 42, numRuns: 120 },
    );
  });

  it('one activation spike: fast model equals the reference wherever the spike is', () => {
    fc.assert(
      fc.property(spikeLayerArb({ maxK: 300, maxC: 24 }), paramsArb, (input, params: Params) => {
        expect(dstripes.simulate(input, params).cycles).toBe(dstripesReference(input, params).cycles);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('a spike at every activation position in turn (partial brick, partial window group)', () => {
    const base = randomLayer(5, convGeometry(17, 5, 4, 3, 1, 1), { actDensity: 0.5, maxAct: 1 });
    for (const params of [
      { precisionGranularity: 16, leadingBit: false, columnRegisters: 1 },
      { precisionGranularity: 32, leadingBit: true, columnRegisters: 0 },
    ] as Params[])
      for (let x = 0; x < base.act.length; x++) {
        const act = base.act.slice();
        act[x] = x % 2 ? 1000 : -77;
        const input = withActs(base, act);
        expect(dstripes.simulate(input, params).cycles).toBe(dstripesReference(input, params).cycles);
      }
  });

  it('effectual work is Σ width(a) over the original MACs', () => {
    fc.assert(
      fc.property(layerArb({ maxK: 12, maxC: 20, maxH: 6 }), fc.boolean(), (input, leadingBit) => {
        expect(dstripes.simulate(input, { leadingBit }).effectualWork).toBe(
          dstripesReferenceWork(input, { leadingBit }),
        );
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  it('micro brick: one 16-lane brick, one window costs 7 cycles', () => {
    const a = [0, 3, 7, 12, 91, 1, 0, 5, 64, 127, 2, 0, 9, 15, 30, 6];
    const input = randomLayer(1, convGeometry(16, 1, 1, 1, 1, 0));
    input.act.set(a);
    for (const leadingBit of [true, false])
      for (const columnRegisters of [0, 1])
        expect(dstripes.simulate(input, { leadingBit, columnRegisters }).cycles).toBe(7);
  });

  it('all 16 bits set (negative, odd, |v| >= 2^14, no padding): equals Stripes at Pa = Pw = 16', () => {
    const arb = fc.record({
      C: fc.integer({ min: 1, max: 40 }),
      H: fc.integer({ min: 1, max: 9 }),
      K: fc.integer({ min: 1, max: 600 }),
      k: fc.integer({ min: 1, max: 3 }),
      stride: fc.integer({ min: 1, max: 2 }),
      seed: fc.integer({ min: 1, max: 1e9 }),
    });
    fc.assert(
      fc.property(
        arb.filter((g) => g.H >= g.k),
        paramsArb,
        (g, params: Params) => {
          const input = randomLayer(g.seed, convGeometry(g.C, g.H, g.K, g.k, g.stride, 0), {
            pa: 16,
            pw: 16,
          });
          for (let x = 0; x < input.act.length; x++) input.act[x] = -(16385 + 2 * ((x * 7919) % 8000));
          const dense = stripes.simulate(input, { bitsPe: 16 }).cycles;
          expect(dstripes.simulate(input, params).cycles).toBe(dense);
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });

  it('all-zero activations give the minimum: one cycle per group step', () => {
    fc.assert(
      fc.property(layerArb({ maxK: 600 }), paramsArb, (input, params: Params) => {
        if (input.geometry.kind === 'fc') return;
        const zero = withActs(input, new Int32Array(input.act.length));
        const r = dstripes.simulate(zero, params);
        const dadnSteps = r.baselineCycles / (outputs(input) * cdiv(input.geometry.K, 256));
        expect(r.cycles).toBe(cdiv(outputs(input), 16) * dadnSteps * cdiv(input.geometry.K, 256));
        expect(r.effectualWork).toBe(0);
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
          expect(dstripes.simulate(withActs(input, act), params).cycles).toBeLessThanOrEqual(
            dstripes.simulate(input, params).cycles,
          );
        },
      ),
      { seed: 42, numRuns: 80 },
    );
  });

  it('FC: §6.4 brick issue with the bricks’ group costs', () => {
    const input = randomLayer(
      7,
      { kind: 'fc', C: 100, H: 1, W: 1, K: 700, Kh: 1, Kw: 1, stride: 1, pad: 0 },
      { signedActs: true },
    );
    const costs: number[] = [];
    for (let cg = 0; cg < 100; cg += 16)
      costs.push(refGroupCost(Array.from(input.act.slice(cg, cg + 16)), true));
    expect(dstripes.simulate(input, {}).cycles).toBe(refBrickIssue(costs, 16, 3));
  });
});

describe('parameters', () => {
  it('declares the spec parameters with their defaults and rejects bad values by name', () => {
    const defaults = Object.fromEntries(dstripes.params.map((p) => [p.name, p.default]));
    expect(defaults).toEqual({
      lanes: 16,
      columns: 16,
      rows: 16,
      tiles: 16,
      firstLayerSpaceToDepth: true,
      wb: 0,
      precisionGranularity: 16,
      leadingBit: true,
      columnRegisters: 1,
    });
    const input = randomLayer(2, convGeometry(4, 4, 4, 3, 1, 1));
    expect(() => dstripes.simulate(input, { precisionGranularity: 24 })).toThrow(/precisionGranularity/);
    expect(() => dstripes.simulate(input, { columnRegisters: -1 })).toThrow(/columnRegisters/);
    expect(() => dstripes.simulate(input, { lanes: 0 })).toThrow(/lanes/);
    expect(() => dstripes.trace!(input, {}, { filterBlock: 1, windowBlock: 0, maxCycles: 10 })).toThrow(
      /filterBlock/,
    );
    // String values from a link or the CLI are accepted when they parse.
    expect(dstripes.simulate(input, { columnRegisters: '0', leadingBit: 'false' }).cycles).toBe(
      dstripes.simulate(input, { columnRegisters: 0, leadingBit: false }).cycles,
    );
  });
});

describe('Dynamic Stripes traces', () => {
  const traceArb = fc.record({
    leadingBit: fc.boolean(),
    precisionGranularity: fc.constantFrom(16, 32, 256),
  });

  it('lock-step (R = 0): window-group traces add up to the layer cycles; Effectual and skipped add up to the work', () => {
    fc.assert(
      fc.property(layerArb({ maxK: 40, maxC: 20, maxH: 6 }), traceArb, (input, p) => {
        // A small grid (filter sets of 4 x 2 filters) gives several filter sets and small traces.
        const params: Params = { ...p, columnRegisters: 0, rows: 4, tiles: 2 };
        const r = dstripes.simulate(input, params);
        const groups = input.geometry.kind === 'fc' ? 1 : cdiv(outputs(input), 16);
        const blocks = cdiv(input.geometry.K, 4);
        let effectual = 0;
        let skipped = 0;
        let groupCycles = 0;
        for (let wb = 0; wb < groups; wb++)
          for (let fb = 0; fb < blocks; fb++) {
            const t = dstripes.trace!(input, params, { filterBlock: fb, windowBlock: wb, maxCycles: 1e6 });
            expect(t.storedCycles).toBe(t.cycles);
            expect(t.states.length).toBe(t.cycles * 4 * 16 * 16);
            effectual += stateTotals(t).effectual;
            skipped += t.skippedPerCycle.reduce((s, v) => s + v, 0);
            if (fb === 0) groupCycles += t.cycles;
          }
        expect(effectual).toBe(r.effectualWork);
        expect(skipped).toBe(r.skippedWork);
        if (input.geometry.kind === 'conv') expect(groupCycles * cdiv(input.geometry.K, 8)).toBe(r.cycles);
      }),
      { seed: 42, numRuns: 25 },
    );
  });

  it('a layer of one window group: the trace has the layer cycles for any R', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 1, max: 4 }),
        traceArb,
        (seed, R, p) => {
          const input = randomLayer(seed, convGeometry(37, 4, 20, 3, 1, 1), {
            signedActs: true,
            actDensity: 0.5,
          });
          const params: Params = { ...p, columnRegisters: R };
          const t = dstripes.trace!(input, params, { filterBlock: 1, windowBlock: 0, maxCycles: 50 });
          expect(t.cycles).toBe(dstripes.simulate(input, params).cycles);
          expect(t.storedCycles).toBe(Math.min(50, t.cycles));
          // Rows past K (filters 16..19 exist, 20..31 do not) stay inactive.
          const perRow = t.peCols * t.unitsPerPE;
          for (let r = 4; r < 16; r++)
            expect(t.states.subarray(r * perRow, (r + 1) * perRow).every((s) => s === 0)).toBe(true);
          expect(t.columnProgress!.length).toBe(t.storedCycles * 16);
        },
      ),
      { seed: 42, numRuns: 20 },
    );
  });
});
