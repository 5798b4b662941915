import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import validation from '../../fixtures/validation.json';
import { bitfusion, bitfusionBitsPerMac, fusionPlan, pow2ceil } from '../../../src/sim/accel/bitfusion';
import { dadn } from '../../../src/sim/accel/dadn';
import type { Params } from '../../../src/sim/accel/types';
import { layerMacs } from '../../../src/sim/types';
import { layerArb, zeroLayer } from './reference/arbitraries';
import { bitfusionReferenceCycles } from './reference/dadn';
import { expectResultInvariants } from './reference/invariants';
import { convGeometry } from './reference/layer';

describe('Bit Fusion (§11)', () => {
  it('closed form equals the loop reference; invariants hold', () => {
    const params = fc.record({
      M: fc.constantFrom(8, 32),
      N: fc.constantFrom(4, 16),
      firstLayer: fc.constantFrom('spaceToDepth', 'im2col'),
    });
    fc.assert(
      fc.property(layerArb({ maxK: 300 }), params, (input, p: Params) => {
        const r = bitfusion.simulate(input, p);
        expect(r.cycles).toBe(bitfusionReferenceCycles(input, p));
        expect(r.baselineCycles).toBe(dadn.simulate(input, {}).cycles);
        expect(r.potential!.bits).toBe(layerMacs(input.geometry) * pow2ceil(input.pa) * pow2ceil(input.pw));
        expectResultInvariants(r);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('fusion plan: pf and time multiplexing (hand-computed)', () => {
    expect(fusionPlan(8, 8, 8, 2)).toEqual({ pf: 1, tm: 1 });
    expect(fusionPlan(4, 8, 8, 2)).toEqual({ pf: 2, tm: 1 });
    expect(fusionPlan(3, 3, 8, 2)).toEqual({ pf: 4, tm: 1 }); // floor(8/3) = 2 = 8 / pow2ceil(3)
    expect(fusionPlan(1, 2, 8, 2)).toEqual({ pf: 16, tm: 1 }); // 1 bit is raised to pmin
    expect(fusionPlan(16, 8, 8, 2)).toEqual({ pf: 1, tm: 2 });
    expect(fusionPlan(16, 16, 8, 2)).toEqual({ pf: 1, tm: 4 });
    expect([bitfusionBitsPerMac(3, 5), bitfusionBitsPerMac(16, 2)]).toEqual([32, 32]);
  });

  it('bitfusion.official.conv1: the im2col first layer', () => {
    const t = validation.targets.find((x) => x.id === 'bitfusion.official.conv1')!;
    const e = t.expected as unknown as Record<string, number>;
    const conv1 = (pa: number, pw: number) => ({
      ...zeroLayer('conv1', convGeometry(3, 224, 64, 7, 2, 3), pa, pw, true),
    });
    const run = (pa: number, pw: number) =>
      bitfusion.simulate(conv1(pa, pw), { firstLayer: 'im2col' }).cycles;
    expect(run(8, 8)).toBe(e.pf1_8bit);
    expect(run(4, 8)).toBe(e.pf2);
    expect(run(4, 4)).toBe(e.pf4);
    expect(run(2, 2)).toBe(e.pf16);
    // The same layer under DNNsim's space-to-depth: 2 filter sets x 112^2 windows x 16 slots x 1 brick.
    expect(bitfusion.simulate(conv1(8, 8), {}).cycles).toBe(2 * 112 * 112 * 16);
  });

  it('slots per cycle follow the fusion', () => {
    const x = zeroLayer('l', convGeometry(64, 8, 64, 3, 1, 1), 2, 2);
    expect(bitfusion.simulate(x, {}).slotsPerCycle).toBe(32 * 16 * 16);
    expect(bitfusion.simulate({ ...x, pa: 16, pw: 16 }, {}).slotsPerCycle).toBe((32 * 16) / 4);
    expect(bitfusion.simulate(x, { clockMHz: 980 }).extra!.microseconds).toBeCloseTo(
      bitfusion.simulate(x, {}).cycles / 980,
      12,
    );
  });

  it('rejects bad parameters with a message naming them', () => {
    const x = zeroLayer('l', convGeometry(4, 4, 4, 3, 1, 1), 8, 8);
    expect(() => bitfusion.simulate(x, { firstLayer: 'bogus' })).toThrow(/firstLayer/);
    expect(() => bitfusion.simulate(x, { M: 0 })).toThrow(/M/);
  });
});
