import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dadn } from '../../../src/sim/accel/dadn';
import { stripes, stripesPlan } from '../../../src/sim/accel/stripes';
import { stateTotals } from '../../../src/sim/accel/traceCanvas';
import type { Params } from '../../../src/sim/accel/types';
import { cdiv, layerMacs } from '../../../src/sim/types';
import { layerArb } from './reference/arbitraries';
import { expectResultInvariants } from './reference/invariants';
import { convGeometry, randomLayer } from './reference/layer';
import { stripesReferenceCycles } from './reference/stripes';

const outputs = (g: { H: number; W: number; pad: number; Kh: number; Kw: number; stride: number }) =>
  (Math.floor((g.H + 2 * g.pad - g.Kh) / g.stride) + 1) *
  (Math.floor((g.W + 2 * g.pad - g.Kw) / g.stride) + 1);

describe('Stripes (§4)', () => {
  it('closed form equals the literal reference (conv steps, FC brick issue); invariants hold', () => {
    fc.assert(
      fc.property(layerArb({ maxK: 600 }), fc.integer({ min: 2, max: 16 }), (input, bitsPe) => {
        const params: Params = { bitsPe };
        const r = stripes.simulate(input, params);
        expect(r.cycles).toBe(stripesReferenceCycles(input, params));
        expect(r.effectualWork).toBe(layerMacs(input.geometry) * input.pa);
        expect(r.potential!.bits).toBe(layerMacs(input.geometry) * input.pa * 16);
        expect(r.skippedWork).toBe(layerMacs(input.geometry) * (16 - input.pa));
        expectResultInvariants(r);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('plan: hand-computed mappings', () => {
    const grid = { lanes: 16, columns: 16, rows: 16, tiles: 16, spaceToDepth: true, wb: 0 };
    expect(stripesPlan(9, 8, 16, grid)).toEqual({
      colsPerAct: 1,
      rowsPerWgt: 1,
      windowsPerTile: 16,
      filtersPerPass: 256,
      stepCost: 9,
    });
    expect(stripesPlan(9, 16, 8, grid)).toEqual({
      colsPerAct: 2,
      rowsPerWgt: 2,
      windowsPerTile: 8,
      filtersPerPass: 128,
      stepCost: 8,
    });
    expect(stripesPlan(4, 16, 8, grid)).toEqual({
      colsPerAct: 1,
      rowsPerWgt: 2,
      windowsPerTile: 16,
      filtersPerPass: 128,
      stepCost: 8,
    });
    expect(() => stripesPlan(16, 16, 1, { ...grid, columns: 8 })).toThrow(RangeError);
  });

  it('Pa = 16, bitsPe = 16 equals DaDN whenever Oh*Ow % 16 == 0 (§16.7)', () => {
    const shape = fc.record({
      C: fc.integer({ min: 1, max: 40 }),
      oh: fc.constantFrom(4, 8, 12),
      ow: fc.integer({ min: 1, max: 9 }),
      K: fc.integer({ min: 1, max: 600 }),
      k: fc.constantFrom(1, 3),
      stride: fc.constantFrom(1, 2),
      seed: fc.integer({ min: 1, max: 1e9 }),
    });
    fc.assert(
      fc.property(shape, ({ C, oh, ow, K, k, stride, seed }) => {
        // Input sized so that the output is exactly oh x (4 * ow) windows (a multiple of 16).
        const pad = (k - 1) / 2;
        const H = stride * (oh - 1) + 1;
        const W = stride * (4 * ow - 1) + 1;
        const input = randomLayer(seed, convGeometry(C, H, K, k, stride, pad, W), { pa: 16, pw: 16 });
        expect(outputs(input.geometry) % 16).toBe(0);
        expect(stripes.simulate(input, { bitsPe: 16 }).cycles).toBe(dadn.simulate(input, {}).cycles);
      }),
      { seed: 42, numRuns: 100 },
    );
    // 14 x 14 outputs (196 windows, 13 groups of 16) is slower than DaDN: 13*16 / 196.
    const l3 = randomLayer(1, convGeometry(32, 14, 32, 3, 1, 1), { pa: 16, pw: 16 });
    expect(stripes.simulate(l3, {}).cycles / dadn.simulate(l3, {}).cycles).toBeCloseTo((13 * 16) / 196, 12);
  });

  it('traces: tiles cover the layer; Effectual = MACs * Pa', () => {
    fc.assert(
      fc.property(layerArb({ maxK: 40, maxC: 20, maxH: 5 }), fc.constantFrom(4, 8, 16), (wide, bitsPe) => {
        const input = { ...wide, pa: 1 + (wide.pa % 12), pw: 1 + (wide.pw % 12) };
        const params: Params = { bitsPe, rows: 4, tiles: 2 };
        const r = stripes.simulate(input, params);
        const plan = stripesPlan(input.pa, input.pw, bitsPe, {
          lanes: 16,
          columns: 16,
          rows: 4,
          tiles: 2,
          spaceToDepth: true,
          wb: 0,
        });
        const isFc = input.geometry.kind === 'fc';
        const groups = isFc ? 1 : cdiv(outputs(input.geometry), plan.windowsPerTile);
        const blocks = cdiv(input.geometry.K, plan.filtersPerPass) * 2;
        let effectual = 0;
        let skipped = 0;
        let cycles = 0;
        for (let wb = 0; wb < groups; wb++)
          for (let fb = 0; fb < blocks; fb++) {
            const t = stripes.trace!(input, params, { filterBlock: fb, windowBlock: wb, maxCycles: 1e6 });
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
});
