import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pruneGlobal, prunePerLayer, pruneStdThreshold } from '../../../src/sim/quant/prune';
import { target } from './helpers';

const micro = target('quant.micro');
const x = micro.inputs.x as number[];

/** Naive reference: sort indices by (|w|, index) and zero the first m. */
function naivePrune(w: number[], m: number): number[] {
  const order = w.map((_, i) => i).sort((a, b) => Math.abs(w[a]) - Math.abs(w[b]) || a - b);
  const out = [...w];
  for (const i of order.slice(0, m)) out[i] = 0;
  return out;
}

describe('magnitude pruning (§9)', () => {
  it('matches quant.micro prunePerLayer50', () => {
    const e = micro.expected.prunePerLayer50;
    const r = prunePerLayer(Float32Array.from(x), 0.5);
    expect(Array.from(r.weights)).toEqual(Array.from(Float32Array.from(e.values)));
    const pruned = x.map((_, i) => i).filter((i) => r.weights[i] === 0);
    expect(pruned).toEqual(e.prunedIndices);
    expect(r.zeros).toBe(4);
  });

  it('per layer agrees with a naive sort, ties by index', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -4, max: 4 }).map((v) => v / 2),
          { minLength: 1, maxLength: 40 },
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (w, p) => {
          const r = prunePerLayer(w, p);
          expect(Array.from(r.weights)).toEqual(naivePrune(w, Math.floor(p * w.length)));
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('global ranks over all layers by |w|, then layer order, then index', () => {
    const a = [0.5, -0.1, 2];
    const b = [0.1, 0.05, -0.5, 3];
    // floor(0.3 · 7) = 2: 0.05 (b1), then of the 0.1 tie a1 (layer 0) before b0 (layer 1)
    const [ra, rb] = pruneGlobal([a, b], 0.3);
    expect(Array.from(ra.weights)).toEqual(Array.from(Float32Array.from([0.5, 0, 2])));
    expect(Array.from(rb.weights)).toEqual(Array.from(Float32Array.from([0.1, 0, -0.5, 3])));
    // floor(0.5 · 7) = 3 takes the whole tie; 0.6 -> 4 adds the 0.5 of layer 0 before the −0.5 of layer 1
    expect(pruneGlobal([a, b], 0.5).map((r) => r.zeros)).toEqual([1, 2]);
    expect(pruneGlobal([a, b], 0.6).map((r) => Array.from(r.weights))).toEqual([
      [0, 0, 2],
      [0, 0, -0.5, 3],
    ]);
  });

  it('already-zero weights count as pruned', () => {
    const r = prunePerLayer([0, 0, 0, 1, 2, 3], 0.5);
    expect(Array.from(r.weights)).toEqual([0, 0, 0, 1, 2, 3]);
  });

  it('stdThreshold prunes |w| < q·σ (population σ)', () => {
    // mean 0, σ = √((1 + 1 + 9 + 9)/4) = √5
    const r = pruneStdThreshold([1, -1, 3, -3], 1);
    expect(r.threshold).toBeCloseTo(Math.sqrt(5), 12);
    expect(Array.from(r.weights)).toEqual([0, 0, 3, -3]);
  });
});
