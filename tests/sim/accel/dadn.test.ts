import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import validation from '../../fixtures/validation.json';
import { dadn, zeroOperandMacs } from '../../../src/sim/accel/dadn';
import { stateTotals } from '../../../src/sim/accel/traceCanvas';
import type { Params } from '../../../src/sim/accel/types';
import { cdiv, layerMacs } from '../../../src/sim/types';
import { layerArb, zeroLayer } from './reference/arbitraries';
import { dadnReferenceCycles } from './reference/dadn';
import { expectResultInvariants } from './reference/invariants';
import { actAt, convGeometry, randomLayer, refPrepare, wgtAt } from './reference/layer';

const gridArb = fc.record({
  lanes: fc.constantFrom(4, 16),
  rows: fc.constantFrom(3, 16),
  tiles: fc.constantFrom(1, 16),
  firstLayerSpaceToDepth: fc.boolean(),
});

describe('DaDianNao (§3)', () => {
  it('closed form equals the step-by-step reference; invariants hold', () => {
    fc.assert(
      fc.property(layerArb({ maxK: 600 }), gridArb, (input, params: Params) => {
        const r = dadn.simulate(input, params);
        expect(r.cycles).toBe(dadnReferenceCycles(input, params));
        expect(r.baselineCycles).toBe(r.cycles);
        expect(r.effectualWork).toBe(layerMacs(input.geometry));
        expect(r.skippedWork).toBe(0);
        expect(r.potential!.speedup).toBe(1);
        expectResultInvariants(r);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('conv1 occupancy: 12/16 lanes x 147/192 kernel slots x 64/256 filters', () => {
    const conv1 = zeroLayer('conv1', convGeometry(3, 224, 64, 7, 2, 3), 16, 16, true);
    expect(dadn.simulate(conv1, {}).occupancy).toBeCloseTo((12 / 16) * (147 / 192) * (64 / 256), 12);
  });

  it('the default grid matches validation resnet18.dadn for conv1', () => {
    const t = validation.targets.find((x) => x.id === 'resnet18.dadn')!;
    const conv1 = zeroLayer('conv1', convGeometry(3, 224, 64, 7, 2, 3), 16, 16, true);
    expect(dadn.simulate(conv1, {}).cycles).toBe((t.expected as { perLayer: number[] }).perLayer[0]);
    // Without §1.4: 112^2 windows x 49 slots x 1 brick x 1 filter set.
    expect(dadn.simulate(conv1, { firstLayerSpaceToDepth: false }).cycles).toBe(112 * 112 * 49);
  });

  it('zero-operand MACs equal a direct count', () => {
    fc.assert(
      fc.property(layerArb({ maxK: 10, maxC: 12, maxH: 6 }), (input) => {
        const L = refPrepare(input, false);
        let zeros = 0;
        for (let k = 0; k < L.K; k++)
          for (let oh = 0; oh < L.Oh; oh++)
            for (let ow = 0; ow < L.Ow; ow++)
              for (let c = 0; c < L.C; c++)
                for (let i = 0; i < L.Kh; i++)
                  for (let j = 0; j < L.Kw; j++)
                    if (actAt(L, c, L.s * oh + i, L.s * ow + j) === 0 || wgtAt(L, k, c, i, j) === 0) zeros++;
        expect(zeroOperandMacs(input)).toBe(zeros);
        expect(dadn.simulate(input, {}).extra!.zeroOperandMacs).toBe(zeros);
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  it('traces: one cycle per step; tiles cover the layer; Effectual = MACs (zero slots of §1.4 Ineffectual)', () => {
    fc.assert(
      fc.property(layerArb({ maxK: 40, maxC: 20, maxH: 5 }), (input) => {
        const params: Params = { rows: 4, tiles: 2 };
        const r = dadn.simulate(input, params);
        const L = refPrepare(input, true);
        const blocks = cdiv(input.geometry.K, 4);
        let effectual = 0;
        let cycles = 0;
        for (let n = 0; n < L.Oh * L.Ow; n++)
          for (let fb = 0; fb < blocks; fb++) {
            const t = dadn.trace!(input, params, { filterBlock: fb, windowBlock: n, maxCycles: 1e6 });
            expect([t.peRows, t.peCols, t.unitsPerPE]).toEqual([4, 1, 16]);
            effectual += stateTotals(t).effectual;
            if (fb % 2 === 0) cycles += t.cycles;
          }
        expect(effectual).toBe(r.effectualWork);
        expect(cycles).toBe(r.cycles);
      }),
      { seed: 42, numRuns: 20 },
    );
  });

  it('trace of conv1 (transformed): lanes 12..15 inactive, 147 of 192 slot-lanes effectual per row', () => {
    const conv1 = randomLayer(1, convGeometry(3, 20, 64, 7, 2, 3), { isFirst: true });
    const t = dadn.trace!(conv1, {}, { filterBlock: 3, windowBlock: 5, maxCycles: 100 });
    expect(t.cycles).toBe(16);
    const totals = stateTotals(t);
    expect(totals.effectual).toBe(147 * 16);
    expect(totals.ineffectual).toBe((192 - 147) * 16);
    expect(totals.inactive).toBe(16 * 16 * 4);
  });
});
