import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { laconic, simulateLaconic } from '../../../src/sim/accel/laconic';
import { prepareLaconic, readLaconicOptions } from '../../../src/sim/accel/laconicCore';
import { dadnCycles } from '../../../src/sim/accel/grid';
import { withDefaults } from '../../../src/sim/accel/run';
import { UnitState, type AccelLayerInput, type Params } from '../../../src/sim/accel/types';
import { cdiv, layerMacs } from '../../../src/sim/types';
import { termCount, type TermEncoding } from '../../../src/sim/terms';
import {
  convGeometry,
  fcGeometry,
  laconicReferenceCycles,
  laconicReferenceWork,
  randomLayer,
} from './reference';
import { actAt, refPrepare, refWindowGroups, wgtAt } from './reference/layer';
import { refT } from './reference/terms';
import { mulberry32 } from '../../../src/sim/prng';
import { target } from '../terms/validation';

const full = (p: Params = {}) => withDefaults(laconic, p);

const CASES: Array<{ name: string; input: AccelLayerInput }> = [
  { name: 'partial brick C=20, K=40', input: randomLayer(1, convGeometry(20, 7, 40, 3, 1, 1)) },
  {
    name: 'stride 2, K=260 (2 filter sets)',
    input: randomLayer(2, convGeometry(16, 9, 260, 3, 2, 1), { actDensity: 0.4, wgtDensity: 0.5 }),
  },
  {
    name: 'first layer 7x7/2',
    input: randomLayer(3, convGeometry(3, 12, 20, 7, 2, 3), { signedActs: true, isFirst: true }),
  },
  { name: '1x1/2, C=35, K=17', input: randomLayer(4, convGeometry(35, 6, 17, 1, 2, 0), { maxWgt: 3 }) },
  {
    name: 'non-square, 16-bit acts',
    input: randomLayer(5, convGeometry(18, 5, 33, 3, 1, 1, 8), { maxAct: 32767 }),
  },
  {
    name: '5x5 output: a group ends with a one-window column segment',
    input: randomLayer(10, convGeometry(20, 5, 20, 3, 1, 1), { actDensity: 0.3 }),
  },
  { name: 'FC 100 -> 600 (shared column quirk)', input: randomLayer(6, fcGeometry(100, 600)) },
  { name: 'FC 320 -> 70', input: randomLayer(7, fcGeometry(320, 70), { actDensity: 0.3 }) },
];

const PARAMS: Params[] = [
  {},
  { tileSync: 'step', zeroCount: false },
  { termEncoding: 'naf' },
  { termEncoding: 'popcount', tileSync: 'step' },
  { lanes: 8, columns: 4, rows: 4, tiles: 3 },
  { firstLayerSpaceToDepth: false, rows: 8, tiles: 1 },
];

function oneBrickLayers(a: number[], w: number[]): AccelLayerInput[] {
  const fcLayer: AccelLayerInput = {
    name: 'fc',
    geometry: fcGeometry(16, 1),
    act: Int32Array.from(a),
    wgt: Int32Array.from(w),
    pa: 8,
    pw: 8,
    wb: 16,
    isFirst: false,
  };
  return [fcLayer, { ...fcLayer, name: 'conv', geometry: convGeometry(16, 1, 1, 1, 1, 0) }];
}

describe('Laconic validation target microbrick.laconic', () => {
  type E = {
    Ta: number[];
    Tw: number[];
    laneCosts: number[];
    lpeStep: number;
    sumTermPairs: number;
    sumTermPairsZeroCount: number;
    popcountVariant: { laneCosts: number[]; lpeStep: number };
  };
  const t = target<{ a: number[]; w: number[]; termEncoding: TermEncoding }, E>('microbrick.laconic');
  const { a, w } = t.inputs;

  it('term counts and lane costs', () => {
    expect(a.map((v) => termCount(v, 'boothLike'))).toEqual(t.expected.Ta);
    expect(w.map((v) => termCount(v, 'boothLike'))).toEqual(t.expected.Tw);
    const lane = (enc: TermEncoding) =>
      a.map((v, l) => Math.max(1, termCount(v, enc) * termCount(w[l], enc)));
    expect(lane('boothLike')).toEqual(t.expected.laneCosts);
    expect(lane('popcount')).toEqual(t.expected.popcountVariant.laneCosts);
  });

  it('LPE step, term-pair sums and zero-count potential through whole layers', () => {
    for (const layer of oneBrickLayers(a, w)) {
      const r = simulateLaconic(layer, full());
      expect(r.cycles, layer.name).toBe(t.expected.lpeStep);
      expect(r.effectualWork).toBe(t.expected.sumTermPairs);
      expect(r.potential?.bits).toBe(t.expected.sumTermPairsZeroCount);
      expect(simulateLaconic(layer, full({ zeroCount: false })).potential?.bits).toBe(
        t.expected.sumTermPairs,
      );
      expect(simulateLaconic(layer, full({ termEncoding: 'popcount' })).cycles).toBe(
        t.expected.popcountVariant.lpeStep,
      );
      expect(laconicReferenceCycles(layer, full())).toBe(t.expected.lpeStep);
    }
  });
});

describe('fast Laconic equals the literal reference (full 4096-wide max)', () => {
  for (const { name, input } of CASES) {
    it(name, () => {
      for (const params of PARAMS) {
        const p = full(params);
        const r = simulateLaconic(input, p);
        expect(r.cycles, JSON.stringify(params)).toBe(laconicReferenceCycles(input, p));
        const work = laconicReferenceWork(input, p);
        expect(r.effectualWork).toBe(work.pairs);
        expect(r.potential?.bits).toBe(work.potentialBits);
        expect(r.skippedWork).toBe(r.macs * input.pa * input.pw - work.pairs);
      }
    });
  }

  it('property: random small layers, both tile synchronisations', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 1e6 }),
          C: fc.integer({ min: 1, max: 40 }),
          H: fc.integer({ min: 1, max: 7 }),
          K: fc.integer({ min: 1, max: 300 }),
          k: fc.integer({ min: 1, max: 3 }),
          stride: fc.integer({ min: 1, max: 2 }),
          pad: fc.integer({ min: 0, max: 1 }),
          density: fc.double({ min: 0, max: 1, noNaN: true }),
          step: fc.boolean(),
        }),
        (x) => {
          fc.pre(x.H + 2 * x.pad >= x.k);
          const input = randomLayer(x.seed, convGeometry(x.C, x.H, x.K, x.k, x.stride, x.pad), {
            actDensity: x.density,
            wgtDensity: 1 - x.density / 2,
          });
          const p = full({ tileSync: x.step ? 'step' : 'windowGroup' });
          const r = simulateLaconic(input, p);
          expect(r.cycles).toBe(laconicReferenceCycles(input, p));
          expect(r.cycles).toBeGreaterThanOrEqual(cdiv(r.effectualWork, r.slotsPerCycle));
          expect(r.occupancy).toBeGreaterThanOrEqual(0);
          expect(r.occupancy).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 42, numRuns: 30 },
    );
  });
});

describe('Laconic invariants', () => {
  it('result fields: DaDN baseline, bounds, occupancy, sync stall; step sync never beats group sync', () => {
    for (const { input } of CASES) {
      const r = simulateLaconic(input, full());
      expect(r.baselineCycles).toBe(dadnCycles(input, true));
      expect(r.unit).toBe('termPair');
      expect(r.slotsPerCycle).toBe(65536);
      expect(r.macs).toBe(layerMacs(input.geometry));
      expect(r.cycles).toBeGreaterThanOrEqual(cdiv(r.effectualWork, r.slotsPerCycle));
      expect(r.occupancy).toBeGreaterThanOrEqual(0);
      expect(r.occupancy).toBeLessThanOrEqual(1);
      expect(r.stalls?.sync).toBe(r.cycles - cdiv(r.effectualWork, r.slotsPerCycle));
      if (input.geometry.kind === 'conv') {
        expect(simulateLaconic(input, full({ tileSync: 'step' })).cycles).toBeGreaterThanOrEqual(r.cycles);
      }
    }
  });

  it('all-zero operands: cycles = steps per group × groups × filter sets', () => {
    const cases: Array<[AccelLayerInput, number]> = [
      [randomLayer(1, convGeometry(20, 7, 40, 3, 1, 1)), 9 * 2 * cdiv(49, 16) * 1],
      [randomLayer(2, convGeometry(16, 9, 300, 3, 2, 1)), 9 * 1 * cdiv(25, 16) * 2],
      [randomLayer(3, convGeometry(3, 12, 20, 7, 2, 3)), 16 * 1 * cdiv(36, 16) * 1],
    ];
    for (const [input, expected] of cases) {
      for (const zeroActs of [true, false]) {
        const layer = {
          ...input,
          act: zeroActs ? new Int32Array(input.act.length) : input.act,
          wgt: zeroActs ? input.wgt : new Int32Array(input.wgt.length),
        };
        for (const tileSync of ['windowGroup', 'step']) {
          const r = simulateLaconic(layer, full({ tileSync }));
          expect(r.cycles).toBe(expected);
          expect(r.effectualWork).toBe(0);
          expect(r.potential?.bits).toBe(r.macs); // zero count: 1 per MAC
        }
      }
    }
  });

  it('dense data (all magnitude bits set, binary terms) costs (Pa − 1)(Pw − 1) per step', () => {
    const input = randomLayer(8, convGeometry(20, 6, 300, 3, 1, 0));
    input.act.fill(2 ** 7 - 1);
    input.wgt.fill(-(2 ** 5 - 1));
    input.pa = 8;
    input.pw = 6;
    const r = simulateLaconic(input, full({ termEncoding: 'popcount' }));
    expect(r.cycles).toBe(2 * cdiv(16, 16) * 9 * 2 * 7 * 5);
    expect(r.effectualWork).toBe(r.macs * 7 * 5);
  });

  it('property: zeroing operands never increases cycles', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        (seed, keep, step) => {
          const input = randomLayer(seed, convGeometry(24, 6, 40, 3, 1, 1), {
            actDensity: 0.9,
            wgtDensity: 0.9,
          });
          const rnd = mulberry32(seed + 1);
          const act = input.act.map((v) => (rnd() < keep ? v : 0));
          const wgt = input.wgt.map((v) => (rnd() < keep ? v : 0));
          const p = full({ tileSync: step ? 'step' : 'windowGroup' });
          const dense = simulateLaconic(input, p).cycles;
          expect(simulateLaconic({ ...input, act }, p).cycles).toBeLessThanOrEqual(dense);
          expect(simulateLaconic({ ...input, act, wgt }, p).cycles).toBeLessThanOrEqual(dense);
        },
      ),
      { seed: 42, numRuns: 25 },
    );
  });
});

/** Σ over the tile's filters, the group's windows, every step and lane of T(a)·T(w) (transformed layer). */
function tileGroupPairs(input: AccelLayerInput, filterBlock: number, group: number): number {
  const L = refPrepare(input, true);
  const G = refWindowGroups(L, 16)[group];
  let pairs = 0;
  for (let f = filterBlock * 16; f < Math.min(L.K, filterBlock * 16 + 16); f++)
    for (const n of G)
      for (let c = 0; c < L.C; c++)
        for (let i = 0; i < L.Kh; i++)
          for (let j = 0; j < L.Kw; j++)
            pairs +=
              refT(actAt(L, c, L.s * n.oh + i, L.s * n.ow + j), 'boothLike') *
              refT(wgtAt(L, f, c, i, j), 'boothLike');
  return pairs;
}

describe('Laconic traces', () => {
  const input = randomLayer(31, convGeometry(20, 5, 300, 3, 1, 1), { actDensity: 0.6, wgtDensity: 0.7 });
  for (const tileSync of ['windowGroup', 'step']) {
    it(`${tileSync}: group cycles add up to the layer; effectual unit-cycles are the tile's term pairs`, () => {
      const params = full({ tileSync });
      const groups = cdiv(25, 16);
      let total = 0;
      for (const filterBlock of [0, 18]) {
        const set = Math.floor(filterBlock / 16);
        for (let g = 0; g < groups; g++) {
          const trace = laconic.trace!(input, params, { filterBlock, windowBlock: g, maxCycles: 1e6 });
          expect(trace.storedCycles).toBe(trace.cycles);
          total += trace.cycles;
          let effectual = 0;
          for (const s of trace.states) if (s === UnitState.Effectual) effectual++;
          expect(effectual).toBe(tileGroupPairs(input, filterBlock, g));
          // columns without a window stay inactive
          if (g === 1) expect(trace.states[((0 * 16 + 0) * 16 + 15) * 16]).toBe(UnitState.Inactive);
          if (set === 1) expect(trace.states[(12 * 16 + 0) * 16]).toBe(UnitState.Inactive); // filter 300 ≥ K
        }
      }
      expect(total).toBe(simulateLaconic(input, params).cycles);
    });
  }

  it('bounded storage and FC trace', () => {
    const trace = laconic.trace!(input, full(), { filterBlock: 0, windowBlock: 0, maxCycles: 3 });
    expect(trace.storedCycles).toBe(3);
    expect(trace.states.length).toBe(3 * 16 * 16 * 16);

    // FC 100 -> 70: one filter set, 7 bricks per tile, so no tile ever waits for a column: brick cg of a
    // tile is issued at cycle cg and the tile ends at max(cg + cost).
    const fcLayer = randomLayer(9, fcGeometry(100, 70), { actDensity: 0.7 });
    const L = refPrepare(fcLayer, true);
    let slowest = 0;
    for (const block of [0, 1, 2, 3, 4]) {
      const tr = laconic.trace!(fcLayer, full(), { filterBlock: block, windowBlock: 0, maxCycles: 1e6 });
      let end = 0;
      let pairs = 0;
      for (let cg = 0; cg < 7; cg++) {
        let cost = 1;
        for (let f = block * 16; f < Math.min(70, block * 16 + 16); f++)
          for (let l = 0; l < 16 && cg * 16 + l < 100; l++) {
            const p =
              refT(actAt(L, cg * 16 + l, 0, 0), 'boothLike') *
              refT(wgtAt(L, f, cg * 16 + l, 0, 0), 'boothLike');
            cost = Math.max(cost, p);
            pairs += p;
          }
        end = Math.max(end, cg + cost);
      }
      let effectual = 0;
      for (const s of tr.states) if (s === UnitState.Effectual) effectual++;
      expect(effectual).toBe(pairs);
      expect(tr.cycles).toBe(end);
      slowest = Math.max(slowest, end);
    }
    expect(simulateLaconic(fcLayer, full()).cycles).toBe(slowest);
  });
});

describe('laconic parameters', () => {
  it('declares every spec parameter under its exact name with the spec default', () => {
    expect(laconic.params.map((p) => [p.name, p.default])).toEqual([
      ['lanes', 16],
      ['columns', 16],
      ['rows', 16],
      ['tiles', 16],
      ['firstLayerSpaceToDepth', true],
      ['wb', 0],
      ['tileSync', 'windowGroup'],
      ['zeroCount', true],
      ['termEncoding', 'boothLike'],
    ]);
  });

  it('missing parameters take their defaults; bad values are rejected', () => {
    const input = CASES[0].input;
    expect(simulateLaconic(input, {})).toEqual(simulateLaconic(input, full()));
    expect(() => simulateLaconic(input, { termEncoding: 'csd' })).toThrow(RangeError);
    expect(() => simulateLaconic(input, { lanes: 0 })).toThrow(RangeError);
  });
});

describe('Laconic per-group activation maxima', () => {
  it('equal the brute-force max over each group of windows, for every geometry case', () => {
    for (const { name, input } of CASES) {
      const layer = prepareLaconic(input, readLaconicOptions({}, input));
      const L = refPrepare(input, true);
      const cPad = layer.cPad;
      refWindowGroups(L, 16).forEach((G, g) => {
        for (let i = 0; i < L.Kh; i++)
          for (let j = 0; j < L.Kw; j++)
            for (let c = 0; c < cPad; c++) {
              let max = 0;
              if (c < L.C)
                for (const n of G)
                  max = Math.max(max, refT(actAt(L, c, L.s * n.oh + i, L.s * n.ow + j), 'boothLike'));
              const got = layer.actMax[(g * L.Kh * L.Kw + i * L.Kw + j) * cPad + c];
              if (got !== max) expect.fail(`${name}: group ${g} (${i},${j}) channel ${c}: ${got} != ${max}`);
            }
      });
    }
  });
});
