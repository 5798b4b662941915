import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pragmatic, simulatePragmatic } from '../../../src/sim/accel/pragmatic';
import { brickCycles, peCycles, pragmaticPE } from '../../../src/sim/accel/pragmaticPE';
import { dadnCycles } from '../../../src/sim/accel/grid';
import { withDefaults } from '../../../src/sim/accel/run';
import { UnitState, type AccelLayerInput, type Params } from '../../../src/sim/accel/types';
import { cdiv, layerMacs } from '../../../src/sim/types';
import { termMaskTable } from '../../../src/sim/terms';
import {
  convGeometry,
  fcGeometry,
  pragmaticReferenceCycles,
  pragmaticReferenceWork,
  randomLayer,
  refColumnSync,
  refPragmaticPE,
} from './reference';
import { actAt, refPrepare, refWindowGroups } from './reference/layer';
import { refT } from './reference/terms';
import { target } from '../terms/validation';

const full = (p: Params = {}) => withDefaults(pragmatic, p);

const CASES: Array<{ name: string; input: AccelLayerInput }> = [
  { name: 'partial brick C=20, K=40', input: randomLayer(1, convGeometry(20, 7, 40, 3, 1, 1)) },
  {
    name: 'stride 2, K=300 (2 filter sets)',
    input: randomLayer(2, convGeometry(16, 9, 300, 3, 2, 1), { actDensity: 0.4 }),
  },
  {
    name: 'first layer 7x7/2',
    input: randomLayer(3, convGeometry(3, 12, 20, 7, 2, 3), { signedActs: true, isFirst: true }),
  },
  { name: '1x1/2, C=35, K=17', input: randomLayer(4, convGeometry(35, 6, 17, 1, 2, 0)) },
  {
    name: 'non-square 3x3, 16-bit acts',
    input: randomLayer(5, convGeometry(18, 5, 33, 3, 1, 1, 8), { maxAct: 32767 }),
  },
  { name: 'FC 100 -> 600', input: randomLayer(6, fcGeometry(100, 600)) },
  { name: 'FC 320 -> 70', input: randomLayer(7, fcGeometry(320, 70), { actDensity: 0.3 }) },
];

const PARAMS: Params[] = [
  {},
  { bitsFirstStage: 0, columnRegisters: 0 },
  { bitsFirstStage: 1, columnRegisters: 3, termEncoding: 'naf' },
  { bitsFirstStage: 16, columnRegisters: 2, termEncoding: 'popcount' },
  { lanes: 8, columns: 4, rows: 4, tiles: 2, columnRegisters: 1 },
  { firstLayerSpaceToDepth: false, bitsFirstStage: 3 },
];

describe('Bit-Pragmatic validation targets', () => {
  const t = target<
    { a: number[]; bitsFirstStage: number[] },
    { termPositions: Record<string, number[]>; peCycles: Record<string, number> }
  >('microbrick.pragmatic');

  it('microbrick.pragmatic: term positions and PE cycles for every b', () => {
    const masks = termMaskTable('boothLike');
    for (const [v, positions] of Object.entries(t.expected.termPositions)) {
      const got = [...Array(16).keys()].filter((q) => (masks[Number(v)] >>> q) & 1);
      expect(got, `value ${v}`).toEqual(positions);
    }
    for (const b of t.inputs.bitsFirstStage) {
      expect(pragmaticPE(t.inputs.a, b), `b=${b}`).toBe(t.expected.peCycles[String(b)]);
      expect(refPragmaticPE(t.inputs.a, b), `reference b=${b}`).toBe(t.expected.peCycles[String(b)]);
    }
  });

  it('microbrick.pragmatic through whole layers (FC 16 -> 1 and a 1x1 conv on one pixel)', () => {
    const wgt = new Int32Array(16).fill(1);
    const fcLayer: AccelLayerInput = {
      name: 'fc',
      geometry: fcGeometry(16, 1),
      act: Int32Array.from(t.inputs.a),
      wgt,
      pa: 8,
      pw: 8,
      wb: 16,
      isFirst: false,
    };
    const convLayer: AccelLayerInput = {
      ...fcLayer,
      name: 'conv',
      geometry: convGeometry(16, 1, 1, 1, 1, 0),
    };
    for (const b of t.inputs.bitsFirstStage) {
      for (const layer of [fcLayer, convLayer]) {
        expect(simulatePragmatic(layer, full({ bitsFirstStage: b })).cycles).toBe(
          t.expected.peCycles[String(b)],
        );
      }
    }
  });
});

describe('fast Pragmatic equals the literal reference', () => {
  for (const { name, input } of CASES) {
    it(name, () => {
      for (const params of PARAMS) {
        const p = full(params);
        const r = simulatePragmatic(input, p);
        expect(r.cycles, JSON.stringify(params)).toBe(pragmaticReferenceCycles(input, p));
        const work = pragmaticReferenceWork(input, p);
        expect(r.effectualWork).toBe(work.terms);
        expect(r.potential?.bits).toBe(work.potentialTerms * 16);
        expect(r.macs).toBe(layerMacs(input.geometry));
        expect(r.skippedWork).toBe(r.macs * input.pa - work.terms);
      }
    });
  }

  it('property: random small layers', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 1e6 }),
          C: fc.integer({ min: 1, max: 40 }),
          H: fc.integer({ min: 1, max: 8 }),
          K: fc.integer({ min: 1, max: 300 }),
          k: fc.integer({ min: 1, max: 3 }),
          stride: fc.integer({ min: 1, max: 2 }),
          pad: fc.integer({ min: 0, max: 1 }),
          density: fc.double({ min: 0, max: 1, noNaN: true }),
          b: fc.integer({ min: 0, max: 5 }),
          R: fc.integer({ min: 0, max: 3 }),
        }),
        (x) => {
          fc.pre(x.H + 2 * x.pad >= x.k);
          const input = randomLayer(x.seed, convGeometry(x.C, x.H, x.K, x.k, x.stride, x.pad), {
            actDensity: x.density,
          });
          const p = full({ bitsFirstStage: x.b, columnRegisters: x.R });
          const r = simulatePragmatic(input, p);
          expect(r.cycles).toBe(pragmaticReferenceCycles(input, p));
          expect(r.cycles).toBeGreaterThanOrEqual(cdiv(r.effectualWork, r.slotsPerCycle));
          expect(r.occupancy).toBeGreaterThanOrEqual(0);
          expect(r.occupancy).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });
});

describe('Pragmatic result fields and invariants', () => {
  it('baseline is DaDN; occupancy and lower bound hold', () => {
    for (const { input } of CASES) {
      for (const params of PARAMS.slice(0, 4)) {
        const r = simulatePragmatic(input, full(params));
        expect(r.baselineCycles).toBe(dadnCycles(input, true));
        expect(r.slotsPerCycle).toBe(65536);
        expect(r.unit).toBe('term');
        expect(r.cycles).toBeGreaterThanOrEqual(cdiv(r.effectualWork, r.slotsPerCycle));
        expect(r.occupancy).toBeGreaterThanOrEqual(0);
        expect(r.occupancy).toBeLessThanOrEqual(1);
        expect(r.stalls?.sync).toBe(r.cycles - cdiv(r.effectualWork, r.slotsPerCycle));
        expect(r.idleSlots).toBe(r.slotsPerCycle * r.cycles - r.effectualWork);
      }
    }
  });

  it('wb 0 takes the layer width; an explicit wb overrides it', () => {
    const input = CASES[0].input;
    const a = simulatePragmatic({ ...input, wb: 8 }, full());
    const b = simulatePragmatic({ ...input, wb: 8 }, full({ wb: 16 }));
    expect(b.potential!.bits).toBe(2 * a.potential!.bits);
    expect(b.potential!.speedup).toBeCloseTo(2 * a.potential!.speedup, 9);
  });

  it('property: the bit-plane brickCycles equals the lane-by-lane peCycles (up to 32 lanes)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
          minLength: 1,
          maxLength: 32,
        }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 3 }),
        (lanes, reach, offset) => {
          const masks = new Uint16Array(offset + lanes.length);
          masks.set(lanes, offset);
          const planes = new Int32Array(16);
          const expected = peCycles(masks, offset, lanes.length, reach, new Uint16Array(lanes.length));
          expect(brickCycles(masks, offset, lanes.length, reach, planes)).toBe(expected);
          expect(Array.from(planes)).toEqual(new Array(16).fill(0));
        },
      ),
      { seed: 42, numRuns: 1000 },
    );
  });

  it('property: larger b never increases a PE cost', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -32767, max: 32767 }), { minLength: 1, maxLength: 16 }),
        fc.integer({ min: 0, max: 15 }),
        (brick, b) => {
          expect(pragmaticPE(brick, b + 1)).toBeLessThanOrEqual(pragmaticPE(brick, b));
        },
      ),
      { seed: 42, numRuns: 500 },
    );
  });

  it("property: more run-ahead registers never increase cycles; cycles ≥ every column's own total", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 4 }),
        (seed, b, R) => {
          const input = randomLayer(seed, convGeometry(20, 6, 20, 3, 1, 1), {
            actDensity: 0.5,
            maxAct: 4095,
          });
          const at = (r: number) =>
            simulatePragmatic(input, full({ bitsFirstStage: b, columnRegisters: r })).cycles;
          const cycles = at(R);
          expect(at(R + 1)).toBeLessThanOrEqual(cycles);
          // Each column's own work: Σ over its windows and steps of the PE cost (one filter set here).
          const L = refPrepare(input, true);
          const own = new Array(16).fill(0);
          refWindowGroups(L, 16).forEach((G) =>
            G.forEach((n, c) => {
              for (let i = 0; i < L.Kh; i++)
                for (let j = 0; j < L.Kw; j++)
                  for (let cg = 0; cg < L.C; cg += 16) {
                    const brick = [];
                    for (let l = 0; l < 16 && cg + l < L.C; l++)
                      brick.push(actAt(L, cg + l, n.oh + i, n.ow + j));
                    own[c] += refPragmaticPE(brick, b);
                  }
            }),
          );
          expect(cycles).toBeGreaterThanOrEqual(Math.max(...own));
        },
      ),
      { seed: 42, numRuns: 15 },
    );
  });

  it('dense data (every magnitude bit set, binary terms) costs Pa − 1 cycles per step, like Stripes', () => {
    const pa = 9; // 8 magnitude bits + sign
    const input = randomLayer(11, convGeometry(20, 9, 300, 3, 2, 0), { actDensity: 1 });
    input.act.fill(2 ** (pa - 1) - 1);
    input.pa = pa;
    const groups = cdiv(4 * 4, 16);
    for (const b of [0, 2, 16]) {
      const r = simulatePragmatic(input, full({ termEncoding: 'popcount', bitsFirstStage: b }));
      expect(r.cycles).toBe(groups * 9 * cdiv(20, 16) * (pa - 1) * 2);
      expect(r.effectualWork).toBe(r.macs * (pa - 1));
      expect(r.skippedWork).toBe(r.macs);
    }
  });
});

/** Group spans of §6.2 recomputed with the literal reference: [min start of active columns, max end]. */
function referenceGroupSpans(
  input: AccelLayerInput,
  b: number,
  R: number,
): Array<{ cycles: number; terms: number }> {
  const L = refPrepare(input, true);
  const cum = new Array(16).fill(0);
  const E = new Array(R).fill(0);
  return refWindowGroups(L, 16).map((G) => {
    const start = Math.min(...cum.slice(0, G.length));
    let terms = 0;
    for (let i = 0; i < L.Kh; i++)
      for (let j = 0; j < L.Kw; j++)
        for (let cg = 0; cg < L.C; cg += 16) {
          G.forEach((n, c) => {
            const brick = [];
            for (let l = 0; l < 16 && cg + l < L.C; l++)
              brick.push(actAt(L, cg + l, L.s * n.oh + i, L.s * n.ow + j));
            terms += brick.reduce((s, v) => s + refT(v, 'boothLike'), 0);
            cum[c] += refPragmaticPE(brick, b);
          });
          refColumnSync(cum, E, R);
        }
    return { cycles: Math.max(...cum) - start, terms };
  });
}

describe('Pragmatic traces', () => {
  const input = randomLayer(21, convGeometry(20, 7, 40, 3, 1, 1), { actDensity: 0.5, maxAct: 1023 });

  for (const R of [0, 1, 2]) {
    it(`R=${R}: spans and effectual unit-cycles match the schedule`, () => {
      const params = full({ columnRegisters: R });
      const spans = referenceGroupSpans(input, 2, R);
      let total = 0;
      spans.forEach((span, g) => {
        for (const filterBlock of [0, 2]) {
          const trace = pragmatic.trace!(input, params, { filterBlock, windowBlock: g, maxCycles: 1e6 });
          const rows = Math.min(16, 40 - filterBlock * 16);
          expect(trace.cycles).toBe(span.cycles);
          expect(trace.storedCycles).toBe(trace.cycles);
          let effectual = 0;
          for (const s of trace.states) if (s === UnitState.Effectual) effectual++;
          expect(effectual).toBe(rows * span.terms);
          // rows past K are inactive
          const perCycle = trace.peRows * trace.peCols * trace.unitsPerPE;
          for (let r = rows; r < 16; r++) expect(trace.states[r * 256 + 5]).toBe(UnitState.Inactive);
          expect(trace.states.length).toBe(trace.storedCycles * perCycle);
          // progress: monotone per column, active columns finish every step of the group
          const progress = trace.columnProgress!;
          const last = (trace.storedCycles - 1) * 16;
          const count = Math.min(16, 49 - g * 16);
          for (let c = 0; c < 16; c++) expect(progress[last + c]).toBe(c < count ? 9 * 2 : 0);
          for (let k = 16; k < progress.length; k++)
            expect(progress[k]).toBeGreaterThanOrEqual(progress[k - 16]);
        }
        total += span.cycles;
      });
      const cycles = simulatePragmatic(input, params).cycles;
      if (R === 0) expect(total).toBe(cycles);
      else expect(total).toBeGreaterThanOrEqual(cycles);
    });
  }

  it('bounded storage and FC issue trace', () => {
    const trace = pragmatic.trace!(input, full(), { filterBlock: 1, windowBlock: 0, maxCycles: 5 });
    expect(trace.storedCycles).toBe(5);
    expect(trace.states.length).toBe(5 * 16 * 16 * 16);
    expect(trace.cycles).toBeGreaterThan(5);

    const fcLayer = CASES[6].input; // 320 -> 70: 20 bricks over 16 columns
    const fcTrace = pragmatic.trace!(fcLayer, full(), { filterBlock: 4, windowBlock: 0, maxCycles: 1e6 });
    const oneSet = simulatePragmatic(fcLayer, full()).cycles; // K = 70 < 256: one pass
    expect(fcTrace.cycles).toBe(oneSet);
    let effectual = 0;
    for (const s of fcTrace.states) if (s === UnitState.Effectual) effectual++;
    let terms = 0;
    for (const v of fcLayer.act) terms += refT(v, 'boothLike');
    expect(effectual).toBe(6 * terms); // filters 64..69
    expect(() => pragmatic.trace!(fcLayer, full(), { filterBlock: 5, windowBlock: 0, maxCycles: 1 })).toThrow(
      RangeError,
    );
  });
});

describe('pragmatic parameters', () => {
  it('declares every spec parameter under its exact name with the spec default', () => {
    expect(pragmatic.params.map((p) => [p.name, p.default])).toEqual([
      ['lanes', 16],
      ['columns', 16],
      ['rows', 16],
      ['tiles', 16],
      ['firstLayerSpaceToDepth', true],
      ['wb', 0],
      ['bitsFirstStage', 2],
      ['columnRegisters', 1],
      ['termEncoding', 'boothLike'],
    ]);
  });

  it('missing parameters take their defaults; bad values are rejected', () => {
    const input = CASES[0].input;
    expect(simulatePragmatic(input, {})).toEqual(simulatePragmatic(input, full()));
    expect(() => simulatePragmatic(input, { termEncoding: 'csd' })).toThrow(RangeError);
    expect(() => simulatePragmatic(input, { lanes: 0 })).toThrow(RangeError);
  });
});
