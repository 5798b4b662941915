import { describe, expect, it } from 'vitest';
import { WasmActivations } from '../../../src/sim/infer/activations';
import { WasmElementwise, float32Below, jsElementwise } from '../../../src/sim/infer/elementwise';
import { wasmKernels } from '../../../src/sim/infer/wasm/kernels';
import { mulberry32 } from '../../../src/sim/prng';
import { randomValues } from '../../helpers/onnxBuilder';

const simd = wasmKernels();
if (!simd) throw new Error('WebAssembly SIMD is expected in Node 20');
const wasm = new WasmElementwise(simd);
const store = new WasmActivations(simd.memory);

/** Copies of the arrays inside the kernels' memory (views valid until the next call), as the engine keeps them. */
function inMemory(...arrays: Float32Array[]): Float32Array[] {
  const views = store.views(
    arrays.map((a) => a.length),
    64,
  );
  arrays.forEach((a, i) => views[i].set(a));
  return views;
}

/** Positions where the two arrays differ (Object.is per element: NaN equals NaN, +0 differs from -0). */
function differences(actual: Float32Array, expected: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.max(actual.length, expected.length); i++)
    if (!Object.is(actual[i], expected[i])) out.push(i);
  return out;
}

const f32 = (bits: number) => new Float32Array(Int32Array.of(bits).buffer)[0];

describe('float32Below', () => {
  it('is theta itself when theta is a float32, else the float32 just below it', () => {
    expect(f32(float32Below(0.5))).toBe(0.5);
    expect(f32(float32Below(0))).toBe(0);
    expect(f32(float32Below(-2))).toBe(-2);
    // fround(0.1) = 0.100000001490116... > 0.1, so the float32 below is one ulp lower
    const below = f32(float32Below(0.1));
    expect(below).toBeLessThan(0.1);
    expect(below).toBe(Math.fround(0.1) - 2 ** -27);
    // fround(-0.1) = -0.100000001490116... < -0.1 already
    expect(f32(float32Below(-0.1))).toBe(Math.fround(-0.1));
    expect(f32(float32Below(Infinity))).toBe(Infinity);
  });
});

describe('WebAssembly element-wise kernels match the JavaScript ones', () => {
  // lengths around the 8192-element chunk and not multiples of 4
  const lengths = [1, 7, 8192, 8195, 20001];

  it.each(lengths)('threshold over %i values, several thresholds, in place and not', (length) => {
    const rng = mulberry32(length);
    const src = randomValues(rng, length);
    src[0] = Math.fround(0.1); // exactly at a non-float32 theta's neighbour
    for (const theta of [0, 0.1, -0.25, 0.5]) {
      const expected = new Float32Array(length);
      jsElementwise.threshold(src, expected, length, theta);
      const [source, actual] = inMemory(src, new Float32Array(length));
      wasm.threshold(source, actual, length, theta);
      expect(differences(actual, expected)).toEqual([]);
      wasm.threshold(source, source, length, theta);
      expect(differences(source, expected)).toEqual([]);
    }
  });

  it('threshold keeps only values above theta, as +0 otherwise (also for -0 and NaN)', () => {
    const [src, out] = inMemory(
      Float32Array.from([-1, -0, 0, 0.25, 0.5, 3, Number.NaN, -Infinity, Infinity]),
      new Float32Array(9),
    );
    wasm.threshold(src, out, src.length, 0.25);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0.5, 3, 0, 0, Infinity]);
    expect(Object.is(out[1], 0)).toBe(true);
  });

  it.each(lengths)('add over %i values', (length) => {
    const rng = mulberry32(length + 1);
    const a = randomValues(rng, length);
    const b = randomValues(rng, length);
    const expected = new Float32Array(length);
    for (let i = 0; i < length; i++) expected[i] = a[i] + b[i];
    const [x, y, out] = inMemory(a, b, new Float32Array(length));
    wasm.add(x, y, out, length);
    expect(differences(out, expected)).toEqual([]);
    wasm.add(x, y, x, length);
    expect(differences(x, expected)).toEqual([]);
  });

  it('only the first `length` values are read and written', () => {
    const [src, out] = inMemory(Float32Array.from([1, 2, 3, 4, 5, 6]), new Float32Array(6).fill(-7));
    wasm.threshold(src, out, 3, 0);
    expect(Array.from(out)).toEqual([1, 2, 3, -7, -7, -7]);
    wasm.add(src, src, out, 5);
    expect(Array.from(out)).toEqual([2, 4, 6, 8, 10, -7]);
  });

  it('arrays outside the kernels memory take the JavaScript version', () => {
    const [inside] = inMemory(Float32Array.from([-1, 2, -3, 4, 5]));
    const outside = new Float32Array(5);
    wasm.threshold(inside, outside, 5, 0);
    expect(Array.from(outside)).toEqual([0, 2, 0, 4, 5]);
    wasm.add(outside, inside, outside, 5);
    expect(Array.from(outside)).toEqual([-1, 4, -3, 8, 10]);
  });
});
