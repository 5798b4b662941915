/**
 * Test-only fast-check generators of small random layers that exercise the grid corner cases: partial
 * bricks (C % 16 != 0), K % 256 != 0, stride 2, a space-to-depth first layer with C = 3, and FC layers.
 */
import fc from 'fast-check';
import type { AccelLayerInput } from '../../../../src/sim/accel/types';
import { mulberry32 } from '../../../../src/sim/prng';
import { convGeometry, fcGeometry, randomLayer } from './layer';

export interface LayerArbOptions {
  maxK: number;
  maxC?: number;
  maxH?: number;
}

const valueOptions = fc.record({
  seed: fc.integer({ min: 1, max: 0x7fffffff }),
  actDensity: fc.constantFrom(0, 0.3, 0.7, 1),
  wgtDensity: fc.constantFrom(0.2, 0.8, 1),
  maxAct: fc.constantFrom(1, 7, 255, 32767),
  maxWgt: fc.constantFrom(1, 127, 32767),
  signedActs: fc.boolean(),
  logUniformActs: fc.boolean(),
  pa: fc.integer({ min: 1, max: 16 }),
  pw: fc.integer({ min: 1, max: 16 }),
});

export function layerArb(o: LayerArbOptions): fc.Arbitrary<AccelLayerInput> {
  const maxC = o.maxC ?? 40;
  const maxH = o.maxH ?? 8;
  const conv = fc
    .record({
      C: fc.integer({ min: 1, max: maxC }),
      H: fc.integer({ min: 1, max: maxH }),
      W: fc.integer({ min: 1, max: maxH }),
      K: fc.integer({ min: 1, max: o.maxK }),
      k: fc.integer({ min: 1, max: 3 }),
      stride: fc.integer({ min: 1, max: 2 }),
      pad: fc.integer({ min: 0, max: 1 }),
    })
    .filter((g) => g.H + 2 * g.pad >= g.k && g.W + 2 * g.pad >= g.k)
    .map((g) => ({ geometry: convGeometry(g.C, g.H, g.K, g.k, g.stride, g.pad, g.W), isFirst: false }));
  const first = fc
    .record({
      H: fc.integer({ min: 4, max: 2 * maxH }),
      K: fc.integer({ min: 1, max: o.maxK }),
      k: fc.constantFrom(3, 5, 7),
      stride: fc.constantFrom(2, 3),
    })
    .filter((g) => g.H + 2 * Math.floor(g.k / 2) >= g.k)
    .map((g) => ({ geometry: convGeometry(3, g.H, g.K, g.k, g.stride, Math.floor(g.k / 2)), isFirst: true }));
  const dense = fc
    .record({ C: fc.integer({ min: 1, max: 4 * maxC }), K: fc.integer({ min: 1, max: 2 * o.maxK }) })
    .map((g) => ({ geometry: fcGeometry(g.C, g.K), isFirst: false }));
  return fc
    .tuple(
      fc.oneof(
        { arbitrary: conv, weight: 3 },
        { arbitrary: first, weight: 1 },
        { arbitrary: dense, weight: 1 },
      ),
      valueOptions,
    )
    .map(([shape, v]) => {
      const input = randomLayer(v.seed, shape.geometry, {
        actDensity: v.actDensity,
        wgtDensity: v.wgtDensity,
        maxAct: v.maxAct,
        maxWgt: v.maxWgt,
        signedActs: v.signedActs,
        pa: v.pa,
        pw: v.pw,
        isFirst: shape.isFirst,
      });
      if (v.logUniformActs) spreadWidths(input.act, v.seed);
      return input;
    });
}

/**
 * Rescales non-zero values to mostly tiny magnitudes with rare log-uniform spikes (up to 2^15 - 1), so that a
 * group's width usually comes from one lane of one window: indexing mistakes then change the cycles.
 */
function spreadWidths(values: Int32Array, seed: number): void {
  const rnd = mulberry32(seed ^ 0x5bd1e995);
  for (let x = 0; x < values.length; x++) {
    if (values[x] === 0) continue;
    const bits = rnd() < 0.9 ? Math.floor(rnd() * 2) : Math.floor(rnd() * 15);
    const m = Math.min(32767, (1 << bits) + Math.floor(rnd() * (1 << bits)));
    values[x] = values[x] < 0 ? -m : m;
  }
}

/** A copy of the layer with the given activation array. */
export function withActs(input: AccelLayerInput, act: Int32Array): AccelLayerInput {
  return { ...input, act };
}

/** A layer with all-zero tensors of the right size (geometry-only checks). */
export function zeroLayer(
  name: string,
  geometry: AccelLayerInput['geometry'],
  pa: number,
  pw: number,
  isFirst = false,
  wb = 16,
): AccelLayerInput {
  return {
    name,
    geometry,
    act: new Int32Array(geometry.C * geometry.H * geometry.W),
    wgt: new Int32Array(geometry.K * geometry.C * geometry.Kh * geometry.Kw),
    pa,
    pw,
    wb,
    isFirst,
  };
}

/**
 * A layer whose activations are all 0 or 1 except one spike: the spike's window and lane alone set the
 * width of its group, so any window, lane or position indexing mistake changes the cycles.
 */
export function spikeLayerArb(o: LayerArbOptions): fc.Arbitrary<AccelLayerInput> {
  return fc
    .tuple(
      layerArb(o),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      fc.integer({ min: 2, max: 32767 }),
      fc.boolean(),
    )
    .map(([input, where, magnitude, negative]) => {
      const act = input.act.map((v) => (v === 0 ? 0 : 1));
      act[Math.floor(where * act.length)] = negative ? -magnitude : magnitude;
      return withActs(input, act);
    });
}
