import { describe, expect, it } from 'vitest';
import { defaultConfig, type SimConfig } from '../../src/sim/config';
import { evaluateAccuracy, prepareNetwork, simulateNetwork } from '../../src/sim/pipeline';
import { randomDataset, smallResNet } from '../helpers/smallNetwork';

/**
 * prepareNetwork keeps the parsed model and its inference engine per byte array, so a new quantisation of
 * the same file skips parsing. Whatever ran on the cached engine before, a report must equal the one made
 * from a fresh copy of the bytes (which cannot hit the cache).
 */
const SIZE = 10;
const BYTES = smallResNet(SIZE);
const DATASET = randomDataset(6, [1, SIZE, SIZE]);

function config(scheme: string, images = 2): SimConfig {
  const c = defaultConfig('custom');
  c.images = images;
  c.quant.weights.scheme = scheme as SimConfig['quant']['weights']['scheme'];
  return c;
}

const fresh = (c: SimConfig) =>
  JSON.stringify(simulateNetwork(prepareNetwork(c, { modelBytes: BYTES.slice(), dataset: DATASET }), c));
const cached = (c: SimConfig) =>
  JSON.stringify(simulateNetwork(prepareNetwork(c, { modelBytes: BYTES, dataset: DATASET }), c));

describe('prepareNetwork model cache', () => {
  it('gives the reports of fresh loads, in any order of schemes and image counts', () => {
    const order = [config('twn'), config('fixed', 3), config('binary', 1), config('uniform'), config('twn')];
    const expected = order.map(fresh);
    expect(new Set(expected).size).toBe(4); // the configurations really differ
    expect(order.map(cached)).toEqual(expected);
  });

  it('leaves accuracy unchanged after other runs on the cached engine', () => {
    const c = config('twn');
    const inputsFresh = { modelBytes: BYTES.slice(), dataset: DATASET };
    const expected = evaluateAccuracy(c, inputsFresh, 6, {}, 4);
    cached(config('fixed', 3));
    expect(evaluateAccuracy(c, { modelBytes: BYTES, dataset: DATASET }, 6, {}, 4)).toEqual(expected);
  });
});
