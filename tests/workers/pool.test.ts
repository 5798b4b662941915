import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type SimConfig } from '../../src/sim/config';
import { parseDataset, prepareNetwork, simulateNetwork, type PreparedNetwork } from '../../src/sim/pipeline';
import { mulberry32 } from '../../src/sim/prng';
import { SimPool, type HelperPort } from '../../src/workers/pool';
import { helperHandler, simulationJobs, type FromHelper, type ToHelper } from '../../src/workers/poolJobs';
import { randomDataset, smallResNet } from '../helpers/smallNetwork';

/**
 * The pool must give the very report a single thread gives, whatever the number of helpers, the order in
 * which they answer, and helpers that fail or die. Helpers here run in-process behind structuredClone and
 * seeded random delays, so completion order is shuffled reproducibly.
 */
type Behaviour = 'ok' | 'fails' | 'dies';

function fakeHelpers(seed: number, behaviours: Behaviour[]) {
  const rng = mulberry32(seed);
  const delay = () => Math.floor(rng() * 4);
  const stats = { jobs: 0, networks: 0 };
  let next = 0;
  const factory = (): HelperPort => {
    const behaviour = behaviours[next++] ?? 'ok';
    const listeners: Record<string, Array<(e: never) => void>> = { message: [], error: [], messageerror: [] };
    let dead = false;
    let received = 0;
    const emit = (type: string, e: unknown) => {
      if (!dead) for (const fn of listeners[type]) fn(e as never);
    };
    const handle = helperHandler((msg: FromHelper) =>
      setTimeout(() => emit('message', { data: structuredClone(msg) }), delay()),
    );
    return {
      postMessage(msg: ToHelper) {
        const copy = structuredClone(msg);
        setTimeout(() => {
          if (dead) return;
          if (copy.kind === 'network') stats.networks++;
          else {
            stats.jobs++;
            received++;
            if (behaviour === 'dies' && received === 2) {
              emit('error', { preventDefault() {} });
              return;
            }
            if (behaviour === 'fails') {
              emit('message', { data: { kind: 'failed', job: copy.job, message: 'helper refused' } });
              return;
            }
          }
          handle(copy);
        }, delay());
      },
      addEventListener(type: string, fn: (e: never) => void) {
        listeners[type].push(fn);
      },
      terminate() {
        dead = true;
      },
    };
  };
  return { factory, stats };
}

async function pooledReport(
  prepared: PreparedNetwork,
  config: SimConfig,
  seed: number,
  behaviours: Behaviour[],
  size = behaviours.length,
) {
  const { factory, stats } = fakeHelpers(seed, behaviours);
  const pool = new SimPool(factory, size);
  const progress: number[] = [];
  const precomputed = await pool.run('net', prepared, config, simulationJobs(prepared, config), (done) =>
    progress.push(done),
  );
  pool.dispose();
  // Every layer must come from the pool, or simulateNetwork would quietly simulate it again.
  expect(precomputed.length).toBe(prepared.layers.length);
  expect(prepared.layers.every((_, i) => precomputed[i] !== undefined)).toBe(true);
  return { json: JSON.stringify(simulateNetwork(prepared, config, { precomputed })), stats, progress };
}

describe('simulation pool', () => {
  const small = (() => {
    const config: SimConfig = { ...defaultConfig('custom'), images: 2 };
    const prepared = prepareNetwork(config, {
      modelBytes: smallResNet(12),
      dataset: randomDataset(4, [1, 12, 12]),
    });
    return { config, prepared, json: JSON.stringify(simulateNetwork(prepared, config)) };
  })();

  it('hands out every layer once, biggest first', () => {
    const jobs = simulationJobs(small.prepared, small.config);
    expect(jobs.map((j) => j.layer).sort((a, b) => a - b)).toEqual(small.prepared.layers.map((_, i) => i));
    for (let i = 1; i < jobs.length; i++) expect(jobs[i - 1].cost).toBeGreaterThanOrEqual(jobs[i].cost);
  });

  it('gives the single-thread report byte for byte with 0 to 3 helpers and shuffled answers', async () => {
    for (const [seed, helpers] of [
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 3],
      [5, 2],
    ] as const) {
      const run = await pooledReport(small.prepared, small.config, seed, Array(helpers).fill('ok'));
      expect(run.json).toBe(small.json);
      expect(run.progress).toEqual(small.prepared.layers.map((_, i) => i + 1));
      if (helpers > 0) {
        expect(run.stats.jobs).toBeGreaterThan(0); // the helpers did take part
        expect(run.stats.networks).toBeLessThanOrEqual(helpers);
      }
    }
  });

  it('runs again locally what a helper refuses, and hands out again what a dead helper held', async () => {
    const refused = await pooledReport(small.prepared, small.config, 7, ['fails', 'ok']);
    expect(refused.json).toBe(small.json);
    const died = await pooledReport(small.prepared, small.config, 8, ['dies', 'dies']);
    expect(died.json).toBe(small.json);
  });

  it('agrees with pruned, k-means shared weights (Deep Compression storage)', async () => {
    const config: SimConfig = { ...defaultConfig('custom'), images: 1 };
    config.quant.prune = { ...config.quant.prune, enabled: true, fraction: 0.6 };
    config.quant.share = { ...config.quant.share, enabled: true, bitsConv: 4, bitsFc: 3 };
    const prepared = prepareNetwork(config, {
      modelBytes: smallResNet(12),
      dataset: randomDataset(4, [1, 12, 12]),
    });
    expect(prepared.quantized.some((q) => q?.codebookIndex)).toBe(true);
    const run = await pooledReport(prepared, config, 12, ['ok']);
    expect(run.json).toBe(JSON.stringify(simulateNetwork(prepared, config)));
  });

  it('keeps a layer that throws an error throwing, as without the pool', async () => {
    const broken = structuredClone(small.prepared);
    broken.layers[1].acts = []; // no image for this layer: the models cannot run it
    let single: unknown;
    try {
      simulateNetwork(broken, small.config);
    } catch (err) {
      single = err;
    }
    expect(single).toBeInstanceOf(Error);
    const { factory } = fakeHelpers(9, ['ok', 'ok']);
    const pool = new SimPool(factory, 2);
    await expect(
      pool.run('broken', broken, small.config, simulationJobs(broken, small.config)),
    ).rejects.toThrow((single as Error).message);
    pool.dispose();
  });

  it('agrees with the single thread on the shipped ResNet-20, ternary weights, two images', async () => {
    const modelUrl = new URL('../../public/models/fmnist-resnet20.onnx', import.meta.url);
    const dataUrl = new URL('../../public/models/fmnist-test.bin', import.meta.url);
    const config = defaultConfig('fmnist-resnet20');
    config.images = 2;
    config.quant.weights.scheme = 'twn';
    const prepared = prepareNetwork(config, {
      modelBytes: new Uint8Array(readFileSync(modelUrl)),
      dataset: parseDataset(new Uint8Array(readFileSync(dataUrl))),
    });
    const expected = JSON.stringify(simulateNetwork(prepared, config));
    const run = await pooledReport(prepared, config, 11, ['ok', 'ok']);
    expect(run.json).toBe(expected);
  });
});
