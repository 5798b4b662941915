import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/sim/infer';
import { loadOnnxModel, type NetworkModel } from '../../../src/sim/model';
import { mulberry32 } from '../../../src/sim/prng';
import { buildResNet, randomValues, type ResNetSpec } from '../../helpers/onnxBuilder';
import { referenceForward, relativeError } from './reference';

const KERNELS = ['js', 'wasm'] as const;

function resnet(spec: Partial<ResNetSpec> = {}): NetworkModel {
  return loadOnnxModel(
    buildResNet({
      seed: 5,
      inputShape: [1, 3, 12, 12],
      stages: 3,
      blocksPerStage: 2,
      widths: [8, 12, 16],
      classes: 7,
      ...spec,
    }),
  );
}

function images(seed: number, model: NetworkModel, n: number): Float32Array {
  const [, C, H, W] = model.inputShape;
  return randomValues(mulberry32(seed), n * C * H * W);
}

describe('random ONNX ResNet end to end', () => {
  const model = resnet();
  const n = 5;
  const x = images(1, model, n);

  it.each(KERNELS)('%s: logits and every captured layer input match the unfolded reference', (kernel) => {
    const result = createEngine(model, { kernel }).run(x, n, { captureLayerInputs: true });
    const expected = referenceForward(model, x, n);
    expect(result.classes).toBe(7);
    expect(result.logits.length).toBe(n * 7);
    expect(relativeError(result.logits, expected.output)).toBeLessThan(1e-4);
    expect(result.layerInputs?.size).toBe(model.layers.length);
    for (const layer of model.layers) {
      const g = layer.geometry;
      const captured = result.layerInputs?.get(layer.name) as Float32Array;
      expect(captured.length, layer.name).toBe(n * g.C * g.H * g.W);
      expect(
        relativeError(captured, expected.layerInputs.get(layer.name) as Float64Array),
        layer.name,
      ).toBeLessThan(1e-4);
    }
  });

  it('the first layer sees the images themselves', () => {
    const result = createEngine(model).run(x, n, { captureLayerInputs: true });
    expect(result.layerInputs?.get(model.layers[0].name)).toEqual(x);
  });

  it.each(KERNELS)('%s: weight overrides reach the conv, the BN folded into it, and the FC', (kernel) => {
    const overrides = new Map<string, Float32Array>();
    for (const layer of model.layers) {
      // ternary-like stand-in for quantised weights
      const scale = layer.weights.reduce((m, w) => Math.max(m, Math.abs(w)), 0) / 2;
      overrides.set(
        layer.name,
        layer.weights.map((w) => (Math.abs(w) < scale / 2 ? 0 : Math.sign(w) * scale)),
      );
    }
    const engine = createEngine(model, { kernel });
    const plain = engine.run(x, n).logits;
    const result = engine.run(x, n, { weightOverrides: overrides, captureLayerInputs: true });
    const expected = referenceForward(model, x, n, { weightOverrides: overrides });
    expect(relativeError(result.logits, expected.output)).toBeLessThan(1e-4);
    expect(relativeError(result.logits, plain)).toBeGreaterThan(1e-2);
    const last = model.layers[model.layers.length - 1].name;
    expect(
      relativeError(
        result.layerInputs?.get(last) as Float32Array,
        expected.layerInputs.get(last) as Float64Array,
      ),
    ).toBeLessThan(1e-4);
    // overrides do not stick: a plain run afterwards gives the plain logits again
    expect(engine.run(x, n).logits).toEqual(plain);
  });

  it.each([
    { mode: 'absolute' as const, theta: 0.3 },
    { mode: 'relative' as const, theta: 0.5 },
  ])('reluThreshold $mode $theta matches the reference and raises activation sparsity', (reluThreshold) => {
    const engine = createEngine(model);
    const result = engine.run(x, n, { reluThreshold, captureLayerInputs: true });
    const expected = referenceForward(model, x, n, { reluThreshold });
    expect(relativeError(result.logits, expected.output)).toBeLessThan(1e-4);
    const zeros = (a: Float32Array) => a.reduce((count, v) => count + (v === 0 ? 1 : 0), 0);
    const plain = engine.run(x, n, { captureLayerInputs: true });
    const layer = model.layers[3].name;
    expect(zeros(result.layerInputs?.get(layer) as Float32Array)).toBeGreaterThan(
      zeros(plain.layerInputs?.get(layer) as Float32Array),
    );
  });

  it('results do not depend on the batch: buffers are reused safely across runs of different sizes', () => {
    const engine = createEngine(model);
    const all = engine.run(x, n).logits;
    const two = engine.run(x.subarray(0, 2 * 432), 2).logits;
    const again = engine.run(x, n).logits;
    expect(Array.from(two)).toEqual(Array.from(all.subarray(0, 14)));
    expect(again).toEqual(all);
    expect(engine.run(x, 0).logits.length).toBe(0);
  });

  it('the model survives structuredClone (plain data) and gives identical logits', () => {
    const clone = structuredClone(model);
    expect(createEngine(clone).run(x, n).logits).toEqual(createEngine(model).run(x, n).logits);
  });

  it('rejects bad run arguments', () => {
    const engine = createEngine(model);
    expect(() => engine.run(x, n + 1)).toThrow(/need/);
    expect(() => engine.run(x, 1, { weightOverrides: new Map([['nope', new Float32Array(1)]]) })).toThrow(
      /nope/,
    );
    const first = model.layers[0].name;
    expect(() => engine.run(x, 1, { weightOverrides: new Map([[first, new Float32Array(3)]]) })).toThrow(
      first,
    );
  });
});

describe('ResNet variants', () => {
  it('ThresholdedRelu export (DLAC recipe) matches the reference', () => {
    const model = resnet({ seed: 9, thresholdedRelu: 0.25 });
    expect(model.nodes.filter((node) => node.op === 'ThresholdedRelu').length).toBeGreaterThan(0);
    expect(model.nodes.some((node) => node.op === 'Relu')).toBe(false);
    const n = 3;
    const x = images(2, model, n);
    for (const kernel of KERNELS) {
      const result = createEngine(model, { kernel }).run(x, n);
      expect(relativeError(result.logits, referenceForward(model, x, n).output)).toBeLessThan(1e-4);
    }
  });

  it('PyTorch PRESERVE-style export (Identity nodes, training_mode = 0) with a Reshape+MatMul+Add head', () => {
    const model = resnet({ seed: 10, preserveStyle: true, head: 'matmul', weightEncoding: 'typed' });
    const n = 3;
    const x = images(3, model, n);
    const result = createEngine(model).run(x, n);
    expect(relativeError(result.logits, referenceForward(model, x, n).output)).toBeLessThan(1e-4);
  });

  it('a ResNet-20 on 1x28x28 (Fashion-MNIST shape) runs end to end', () => {
    const model = resnet({
      seed: 11,
      inputShape: [1, 1, 28, 28],
      stages: 3,
      blocksPerStage: 3,
      widths: [16, 32, 64],
      classes: 10,
    });
    expect(model.layers.length).toBe(22);
    const n = 2;
    const x = images(4, model, n);
    const result = createEngine(model).run(x, n);
    expect(relativeError(result.logits, referenceForward(model, x, n).output)).toBeLessThan(1e-4);
  });
});
