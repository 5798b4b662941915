import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { brickIssueCycles, columnSync, runAheadRegisters } from '../../../src/sim/accel/columnSync';
import { refBrickIssue, refColumnSync } from './reference';
import { target } from '../terms/validation';

function runSteps(stepCosts: number[][], R: number): { cycles: number; stall: number } {
  const cum = new Float64Array(stepCosts[0].length);
  const E = runAheadRegisters(R);
  let stall = 0;
  for (const costs of stepCosts) {
    costs.forEach((c, k) => (cum[k] += c));
    stall += columnSync(cum, E, R);
  }
  return { cycles: Math.max(...cum), stall };
}

describe('columnSync (§6.3)', () => {
  it('pragmatic.columnSync.example', () => {
    const t = target<
      { columns: number; stepCosts: number[][]; columnRegisters: number[] },
      Record<string, number>
    >('pragmatic.columnSync.example');
    for (const R of t.inputs.columnRegisters) {
      expect(runSteps(t.inputs.stepCosts, R).cycles, `R=${R}`).toBe(t.expected[String(R)]);
    }
    // Lower bound: the slowest column's own total.
    const own = t.inputs.stepCosts[0].map((_, c) => t.inputs.stepCosts.reduce((s, step) => s + step[c], 0));
    expect(runSteps(t.inputs.stepCosts, 1).cycles).toBeGreaterThanOrEqual(Math.max(...own));
  });

  it('stall statistic on a hand-worked case', () => {
    // Lock-step: step 1 spreads 3..1 (stall 2), step 2 from 3: [4,7,4,5] (stall 3) -> 7 cycles, 5 stalled.
    expect(
      runSteps(
        [
          [3, 1, 1, 2],
          [1, 4, 1, 1],
        ],
        0,
      ),
    ).toEqual({ cycles: 7, stall: 5 });
    // R = 1: E starts at 0, nobody is bumped in step 1; step 2 [4,5,2,3] vs E[0] = 3: columns at 2 and 3
    // are bumped to 4, the statistic is 4 − 2 = 2.
    expect(
      runSteps(
        [
          [3, 1, 1, 2],
          [1, 4, 1, 1],
        ],
        1,
      ),
    ).toEqual({ cycles: 5, stall: 2 });
  });

  it('property: equals the literal transliteration; more registers never hurt', () => {
    const steps = fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 4, maxLength: 4 }), {
      minLength: 1,
      maxLength: 25,
    });
    fc.assert(
      fc.property(steps, fc.integer({ min: 0, max: 4 }), (stepCosts, R) => {
        const cum = new Array(4).fill(0);
        const E = new Array(R).fill(0);
        for (const costs of stepCosts) {
          costs.forEach((c, k) => (cum[k] += c));
          refColumnSync(cum, E, R);
        }
        const fast = runSteps(stepCosts, R).cycles;
        expect(fast).toBe(Math.max(...cum));
        expect(runSteps(stepCosts, R + 1).cycles).toBeLessThanOrEqual(fast);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('brickIssueCycles (§6.4)', () => {
  it('reproduces the Stripes FC closed forms of resnet18.fc (constant brick cost Pa)', () => {
    const t = target<{ C: number; K: number }, Record<string, number>>('resnet18.fc');
    const bricks = Math.ceil(t.inputs.C / 16);
    const filterSets = Math.ceil(t.inputs.K / 256);
    expect(brickIssueCycles(new Array(bricks).fill(16), 16, filterSets)).toBe(t.expected.stripesPa16);
    expect(brickIssueCycles(new Array(bricks).fill(8), 16, filterSets)).toBe(t.expected.stripesPa8);
    expect(brickIssueCycles(new Array(bricks).fill(1), 16, filterSets)).toBe(t.expected.dadn);
  });

  it('property: equals the literal transliteration and reports every issue', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 5 }),
        (costs, columns, sets) => {
          let issued = 0;
          const got = brickIssueCycles(costs, columns, sets, (k, col) => {
            expect(col).toBe(k % columns);
            issued++;
          });
          expect(got).toBe(costs.length ? refBrickIssue(costs, columns, sets) : 0);
          expect(issued).toBe(costs.length);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
