/** fast-check generators of small random layers for the value-sparsity model tests. */
import fc from 'fast-check';
import type { AccelLayerInput } from '../../../../src/sim/accel/types';
import type { LayerGeometry } from '../../../../src/sim/types';
import { layerInput, randomCodes } from './synthetic';

export interface LayerBounds {
  maxC?: number;
  maxK?: number;
  maxHW?: number;
  maxKernel?: number;
  maxStride?: number;
  maxPad?: number;
  fcRate?: number;
}

/** A random conv (or FC) layer with random zero fractions; values are seeded codes, zero with the drawn probability. */
export function arbLayer(bounds: LayerBounds = {}): fc.Arbitrary<AccelLayerInput> {
  const { maxC = 6, maxK = 6, maxHW = 7, maxKernel = 3, maxStride = 2, maxPad = 1, fcRate = 0.1 } = bounds;
  return fc
    .record({
      isFc: fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < fcRate),
      C: fc.integer({ min: 1, max: maxC }),
      K: fc.integer({ min: 1, max: maxK }),
      H: fc.integer({ min: 1, max: maxHW }),
      W: fc.integer({ min: 1, max: maxHW }),
      Kh: fc.integer({ min: 1, max: maxKernel }),
      Kw: fc.integer({ min: 1, max: maxKernel }),
      stride: fc.integer({ min: 1, max: maxStride }),
      pad: fc.integer({ min: 0, max: maxPad }),
      actZero: fc.double({ min: 0, max: 1, noNaN: true }),
      wgtZero: fc.double({ min: 0, max: 1, noNaN: true }),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    })
    .map((r) => {
      const g: LayerGeometry = r.isFc
        ? { kind: 'fc', C: r.C * 7, H: 1, W: 1, K: r.K, Kh: 1, Kw: 1, stride: 1, pad: 0 }
        : {
            kind: 'conv',
            C: r.C,
            H: Math.max(r.H, r.Kh),
            W: Math.max(r.W, r.Kw),
            K: r.K,
            Kh: r.Kh,
            Kw: r.Kw,
            stride: r.stride,
            pad: Math.min(r.pad, r.Kh - 1, r.Kw - 1),
          };
      return layerInput(
        'random',
        g,
        randomCodes(g.C * g.H * g.W, r.actZero, r.seed, 255, false),
        randomCodes(g.K * g.C * g.Kh * g.Kw, r.wgtZero, r.seed + 1, 3, true),
      );
    });
}

/** Copy of a layer with activations replaced. */
export function withActs(layer: AccelLayerInput, act: Int32Array): AccelLayerInput {
  return { ...layer, act };
}

export function withWeights(layer: AccelLayerInput, wgt: Int32Array): AccelLayerInput {
  return { ...layer, wgt };
}

/** Zeroes the entries selected by a seeded mask with probability p. */
export function zeroSome(values: Int32Array, p: number, seed: number): Int32Array {
  const keep = randomCodes(values.length, p, seed, 1, false);
  return values.map((v, i) => (keep[i] === 0 ? 0 : v));
}
