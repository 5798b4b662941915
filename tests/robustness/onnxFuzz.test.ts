/**
 * ONNX loader under hostile files (issue 9): every damaged, foreign or hostile file is rejected with a
 * ModelLoadError whose code and message name the problem, never a raw TypeError/RangeError, within the hang
 * bound; whatever still loads is a sane network.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelLoadError, loadOnnxModel, type LoadOptions, type NetworkModel } from '../../src/sim/model';
import { buildOnnxModel } from '../../src/sim/model/build';
import { hostileModel, SEEDS } from './onnxCases';
import { HANG_BOUND_MS, WorstCase } from './timing';

const worst = new WorstCase('loadOnnxModel');
let cases = 0;

afterAll(() => {
  console.log(`${worst.summary()}; ${cases} checked cases`);
});

type Outcome = { model: NetworkModel } | { error: unknown };

function load(bytes: Uint8Array, label: string, options?: LoadOptions): Outcome {
  cases++;
  let outcome: Outcome = { error: new Error('not run') };
  const { ms } = worst.time(label, () => {
    try {
      outcome = { model: loadOnnxModel(bytes, options) };
    } catch (error) {
      outcome = { error };
    }
  });
  expect(ms, label).toBeLessThan(HANG_BOUND_MS);
  return outcome;
}

/** The only acceptable failure: a ModelLoadError with a code and a message of some substance. */
function expectCleanError(error: unknown, label: string): ModelLoadError {
  if (!(error instanceof ModelLoadError)) {
    throw new Error(
      `${label}: expected a ModelLoadError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
  }
  expect(error.code, label).toMatch(/^[a-z-]+$/);
  expect(error.message.length, label).toBeGreaterThan(20);
  return error;
}

/** A network that loads must be one the simulators can take: positive whole sizes, finite weights. */
function expectSaneModel(model: NetworkModel, label: string): void {
  const [, c, h, w] = model.inputShape;
  for (const d of [c, h, w]) expect(Number.isSafeInteger(d) && d > 0, label).toBe(true);
  expect(Number.isFinite(model.macs) && model.macs >= 0, label).toBe(true);
  for (const layer of model.layers) {
    const g = layer.geometry;
    for (const v of [g.C, g.H, g.W, g.K, g.Kh, g.Kw, g.stride])
      expect(Number.isSafeInteger(v) && v > 0, label).toBe(true);
    expect(Number.isSafeInteger(g.pad) && g.pad >= 0, label).toBe(true);
    expect(layer.weights.length, label).toBe(g.K * g.C * g.Kh * g.Kw);
    expect(layer.weights.every(Number.isFinite), label).toBe(true);
  }
}

function loadsOrFailsCleanly(bytes: Uint8Array, label: string, allowed?: string[]): void {
  const outcome = load(bytes, label);
  if ('model' in outcome) {
    expectSaneModel(outcome.model, label);
    return;
  }
  const error = expectCleanError(outcome.error, label);
  if (allowed) expect(allowed, `${label}: ${error.message}`).toContain(error.code);
}

describe('damaged copies of valid models', () => {
  for (const seed of SEEDS) {
    it(`${seed.name}: loads as built`, () => {
      const outcome = load(seed.bytes, seed.name);
      expect('model' in outcome).toBe(true);
      if ('model' in outcome) expectSaneModel(outcome.model, seed.name);
    });

    it(`${seed.name}: every truncation is reported as truncated or not ONNX`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: seed.bytes.length - 1 }), (length) => {
          loadsOrFailsCleanly(seed.bytes.subarray(0, length), `${seed.name} cut at ${length}`, [
            'truncated',
            'not-onnx',
          ]);
        }),
        { seed: 42, numRuns: 150 },
      );
    });

    it(`${seed.name}: bit flips and byte overwrites`, () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 }), fc.option(fc.integer({ min: 0, max: 255 }))),
            { minLength: 1, maxLength: 10 },
          ),
          (edits) => {
            const bytes = seed.bytes.slice();
            for (const [at, bit, value] of edits) {
              const i = at % bytes.length;
              bytes[i] = value ?? bytes[i] ^ (1 << bit);
            }
            loadsOrFailsCleanly(bytes, `${seed.name} edited ${JSON.stringify(edits)}`);
          },
        ),
        { seed: 42, numRuns: 150 },
      );
    });
  }
});

describe('files that are not ONNX models', () => {
  const FOREIGN: Array<[string, number[]]> = [
    ['PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
    ['JPEG', [0xff, 0xd8, 0xff, 0xe0]],
    ['ZIP / .pt', [0x50, 0x4b, 0x03, 0x04]],
    ['gzip', [0x1f, 0x8b, 0x08]],
    ['PDF', [0x25, 0x50, 0x44, 0x46]],
    ['npy', [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]],
    ['pickle', [0x80, 0x02]],
    ['JSON', [...new TextEncoder().encode('{"graph": {"node": []}}')]],
    ['HTML', [...new TextEncoder().encode('<html><img src=x onerror=alert(1)>')]],
  ];

  it('known formats, with any tail, are named', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FOREIGN), fc.uint8Array({ maxLength: 256 }), ([name, magic], tail) => {
        const bytes = Uint8Array.from([...magic, ...tail]);
        const outcome = load(bytes, `${name} file`);
        expect('error' in outcome, name).toBe(true);
        if ('error' in outcome) {
          const error = expectCleanError(outcome.error, name);
          expect(error.code).toBe('not-onnx');
        }
      }),
      { seed: 42, numRuns: 120 },
    );
  });

  it('empty files, plain text and random bytes', () => {
    const empty = load(new Uint8Array(0), 'empty');
    expect('error' in empty && expectCleanError(empty.error, 'empty').message).toMatch(/empty/);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 2048 }),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }).map((s) => new TextEncoder().encode(s)),
        ),
        (bytes) => loadsOrFailsCleanly(bytes, `random ${bytes.length} bytes`),
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('hostile models with a specific error', () => {
  it('cycles, dangling inputs, mismatched shapes, non-finite weights, huge or overflowing dimensions, absurd reshapes, too many nodes, deep nesting, huge packed lists', () => {
    const families = new Set<string>();
    fc.assert(
      fc.property(hostileModel, (hostile) => {
        families.add(hostile.family.replace(/ of \d+$/, ''));
        const outcome = load(hostile.bytes, hostile.family, hostile.options);
        expect('error' in outcome, `${hostile.family} loaded`).toBe(true);
        if (!('error' in outcome)) return;
        const error = expectCleanError(outcome.error, hostile.family);
        expect(error.code, `${hostile.family}: ${error.message}`).toBe(hostile.code);
        for (const mention of hostile.mentions) {
          if (typeof mention === 'string') expect(error.message, hostile.family).toContain(mention);
          else expect(error.message, hostile.family).toMatch(mention);
        }
      }),
      { seed: 42, numRuns: 700 },
    );
    expect(families.size).toBeGreaterThanOrEqual(21);
  });

  it('a long but legal chain of 10,000 nodes loads within the hang bound (the graph passes are linear)', () => {
    const count = 10_000;
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 2, 2] }],
      outputs: [{ name: 'y' }],
      nodes: Array.from({ length: count }, (_, i) => ({
        opType: i % 2 ? 'Relu' : 'Identity',
        name: 'same name', // every node repeats one name: the renaming must not be quadratic
        inputs: [i ? `t${i - 1}` : 'x'],
        outputs: [i === count - 1 ? 'y' : `t${i}`],
      })),
    });
    const outcome = load(bytes, `${count}-node chain`);
    expect('model' in outcome).toBe(true);
    if ('model' in outcome) expect(outcome.model.nodes.length).toBe(count);
  });

  it('10,000 independent nodes and a 10,000-long Identity chain of a constant written backwards', () => {
    const count = 10_000;
    const wide = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 2, 2] }],
      outputs: [{ name: 'y' }],
      nodes: Array.from({ length: count }, (_, i) => ({
        opType: 'Relu',
        inputs: ['x'],
        outputs: [i === 0 ? 'y' : `r${i}`],
      })),
    });
    expect('model' in load(wide, `${count} parallel nodes`)).toBe(true);
    const backwards = buildOnnxModel({
      inputs: [{ name: 'x', shape: [1, 1, 2, 2] }],
      outputs: [{ name: 'y' }],
      nodes: [
        { opType: 'Conv', inputs: ['x', `c${count - 1}`], outputs: ['y'] },
        ...Array.from({ length: count }, (_, i) => ({
          opType: 'Identity',
          inputs: [i ? `c${i - 1}` : 'w'],
          outputs: [`c${i}`],
        })).reverse(),
      ],
      initializers: [{ name: 'w', dims: [1, 1, 1, 1], values: [1] }],
    });
    const outcome = load(backwards, `${count}-long backwards Identity chain`);
    expect('model' in outcome).toBe(true);
    if ('model' in outcome) expect(outcome.model.layers[0].weightName).toBe('w');
  });
});
