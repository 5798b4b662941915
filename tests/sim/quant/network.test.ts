import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultQuantConfig, type QuantConfig } from '../../../src/sim/config';
import { cgsMask } from '../../../src/sim/quant/cgs';
import { quantizeFixedPoint } from '../../../src/sim/quant/fixedPoint';
import {
  networkWidth,
  quantizeActivations,
  quantizeNetworkWeights,
  type NetworkLayerWeights,
} from '../../../src/sim/quant/network';
import { countZeros, gaussianSample, target } from './helpers';

function layer(
  name: string,
  kind: 'conv' | 'fc',
  shape: number[],
  seed: number,
  extra: Partial<NetworkLayerWeights> = {},
): NetworkLayerWeights {
  const n = shape.reduce((a, b) => a * b, 1);
  return {
    name,
    kind,
    shape,
    weights: gaussianSample(n, seed, 0.1),
    isFirst: false,
    isLast: false,
    ...extra,
  };
}

/** A small network: first conv, two convs, last FC. */
function smallNet(): NetworkLayerWeights[] {
  return [
    layer('conv1', 'conv', [4, 3, 3, 3], 1, { isFirst: true }),
    layer('conv2', 'conv', [8, 4, 3, 3], 2),
    layer('conv3', 'conv', [8, 8, 1, 1], 3),
    layer('fc', 'fc', [10, 8], 4, { isLast: true }),
  ];
}

function cfgWith(mut: (c: QuantConfig) => void): QuantConfig {
  const c = defaultQuantConfig();
  mut(c);
  return c;
}

describe('layer policy (§14)', () => {
  it('TWN: first conv and last FC stay 16-bit fixed point with float values; the rest is ternary', () => {
    const net = smallNet();
    const out = quantizeNetworkWeights(
      net,
      cfgWith((c) => (c.weights.scheme = 'twn')),
    );
    for (const i of [0, 3]) {
      expect(out[i].scheme).toBe('fixed');
      expect(out[i].precision).toBe(16);
      expect(Array.from(out[i].values)).toEqual(Array.from(net[i].weights));
      expect(Array.from(out[i].codes)).toEqual(
        Array.from(quantizeFixedPoint(net[i].weights, net[i].shape, 16).codes),
      );
      expect(out[i].storageBits).toBe(32 * net[i].weights.length);
    }
    expect(out[0].meta.policy).toBe('full precision (first conv)');
    expect(out[3].meta.policy).toBe('full precision (last fc)');
    for (const i of [1, 2]) {
      expect(out[i].scheme).toBe('twn');
      expect(out[i].precision).toBe(2);
      expect(out[i].codes.every((c) => c >= -1 && c <= 1)).toBe(true);
    }
    expect(out.map((q) => q.meta.layer)).toEqual(['conv1', 'conv2', 'conv3', 'fc']);
  });

  it('the switches turn the protection off; high-precision schemes never need it', () => {
    const net = smallNet();
    const off = quantizeNetworkWeights(
      net,
      cfgWith((c) => {
        c.weights.scheme = 'binary';
        c.firstLayerFullPrecision = false;
        c.lastFcFullPrecision = false;
      }),
    );
    expect(off.map((q) => q.scheme)).toEqual(['binary', 'binary', 'binary', 'binary']);
    expect(off.map((q) => q.precision)).toEqual([1, 1, 1, 1]);
    const uniform4 = quantizeNetworkWeights(
      net,
      cfgWith((c) => Object.assign(c.weights, { scheme: 'uniform', bits: 4 })),
    );
    expect(uniform4.map((q) => q.precision)).toEqual([16, 4, 4, 16]);
    const uniform8 = quantizeNetworkWeights(
      net,
      cfgWith((c) => Object.assign(c.weights, { scheme: 'uniform', bits: 8 })),
    );
    expect(uniform8.map((q) => q.precision)).toEqual([8, 8, 8, 8]);
    const fixed = quantizeNetworkWeights(net, defaultQuantConfig());
    expect(fixed.map((q) => q.scheme)).toEqual(['fixed', 'fixed', 'fixed', 'fixed']);
    expect(fixed[0].meta.policy).toBeUndefined();
  });

  it('pruning skips the first conv and reaches the last FC', () => {
    const net = smallNet();
    const out = quantizeNetworkWeights(
      net,
      cfgWith((c) => {
        c.prune.enabled = true;
        c.prune.fraction = 0.5;
      }),
    );
    expect(countZeros(out[0].codes)).toBe(
      countZeros(quantizeFixedPoint(net[0].weights, net[0].shape, 16).codes),
    );
    for (const i of [1, 2, 3]) {
      expect(countZeros(out[i].values)).toBeGreaterThanOrEqual(Math.floor(net[i].weights.length / 2));
      expect(out[i].meta.pruneMode).toBe('perLayer');
    }
    expect(out[0].meta.pruneMode).toBeUndefined();
  });

  it('global pruning ranks the eligible layers only', () => {
    const net = smallNet();
    net[0].weights.fill(1e-3); // among the smallest: pruned if conv1 were eligible
    const out = quantizeNetworkWeights(
      net,
      cfgWith((c) => Object.assign(c.prune, { enabled: true, mode: 'global', fraction: 0.5 })),
    );
    expect(countZeros(out[0].values)).toBe(0);
    const eligible = net.slice(1).reduce((s, l) => s + l.weights.length, 0);
    expect(out.slice(1).reduce((s, q) => s + countZeros(q.values), 0)).toBe(Math.floor(eligible / 2));
  });
});

describe('schemes through the network', () => {
  it('ttq: exact detection, then sidecar scales, then the labelled post-training fit', () => {
    const net = smallNet();
    const wp = Math.fround(0.642);
    const wn = Math.fround(0.728);
    net[1].weights = net[1].weights.map((v) => (v > 0.05 ? wp : v < -0.05 ? -wn : 0));
    const out = quantizeNetworkWeights(
      net,
      cfgWith((c) => (c.weights.scheme = 'ttq')),
      { ttqScales: { conv3: { wp: 2, wn: 3 } } },
    );
    expect(out[1].meta.detected).toBe('exact');
    expect(Array.from(out[1].values)).toEqual(Array.from(net[1].weights));
    expect(out[2].meta.source).toBe('sidecar');
    expect(new Set(out[2].values)).toEqual(new Set([2, -3, 0]));
    const fit = quantizeNetworkWeights(
      net,
      cfgWith((c) => ((c.weights.scheme = 'ttq'), (c.lastFcFullPrecision = false))),
    );
    expect(fit[3].meta.source).toBe('post-training fit');
  });

  it('twn on a TWN-trained layer reproduces its codes', () => {
    const net = smallNet();
    const alpha = Math.fround(0.37);
    const codes = Array.from(net[2].weights, (v) => (v > 0.08 ? 1 : v < -0.08 ? -1 : 0));
    net[2].weights = Float32Array.from(codes, (c) => alpha * c);
    const out = quantizeNetworkWeights(
      net,
      cfgWith((c) => (c.weights.scheme = 'twn')),
    );
    expect(Array.from(out[2].codes)).toEqual(codes.map((c) => (c === 0 ? 0 : c)));
    expect(out[2].meta.alpha).toBe(alpha);
  });

  it('k-means sharing: shared values, codebook index for EIE, codes re-quantised at the weight P', () => {
    const net = smallNet();
    const cfg = cfgWith((c) => {
      c.share = { enabled: true, bitsConv: 3, bitsFc: 2, reserveZeroCode: true, maxIter: 50 };
      c.prune = { enabled: true, mode: 'perLayer', fraction: 0.5, q: 1 };
    });
    const out = quantizeNetworkWeights(net, cfg);
    out.forEach((q, i) => {
      expect(q.scheme).toBe('kmeans');
      expect(q.precision).toBe(16);
      expect((q.meta.codebook as number[]).length).toBeLessThanOrEqual(2 ** (net[i].kind === 'conv' ? 3 : 2));
      expect(Array.from(q.codes)).toEqual(Array.from(quantizeFixedPoint(q.values, net[i].shape, 16).codes));
      q.values.forEach((v, j) => {
        expect(v).toBe(Math.fround((q.meta.codebook as number[])[q.codebookIndex![j]]));
        if (v === 0) expect(q.codes[j]).toBe(0);
      });
    });
    expect(countZeros(out[0].values)).toBe(0); // first conv unpruned
  });

  it('cgs: layer i uses the mask of seed + i and b-bit codes', () => {
    const net = smallNet();
    const cfg = cfgWith((c) => {
      c.weights.scheme = 'cgs';
      c.weights.cgs = { br: 2, bc: 4, compression: 2, bits: 3 };
    });
    const out = quantizeNetworkWeights(net, cfg, { seed: 1234 });
    const q = out[1];
    expect(q.precision).toBe(3);
    expect(q.meta.seed).toBe(1235);
    const mask = cgsMask(8, 36, { br: 2, bc: 4, compression: 2, seed: 1235 });
    for (let k = 0; k < 8; k++) {
      for (let d = 0; d < 36; d++) {
        const kept = mask.keptBlockColumns[Math.floor(k / 2)].includes(Math.floor(d / 4));
        if (!kept) expect(q.codes[k * 36 + d]).toBe(0);
      }
    }
    expect(out[0].scheme).toBe('fixed');
  });

  it('ttqFixedSparsity and binary operands', () => {
    const net = smallNet();
    const t = quantizeNetworkWeights(
      net,
      cfgWith((c) => Object.assign(c.weights, { scheme: 'ttqFixedSparsity', ttqSparsity: 0.25 })),
    );
    expect(t[1].precision).toBe(2);
    expect(countZeros(t[1].codes)).toBe(288 - Math.floor(288 * 0.75));
    const b = quantizeNetworkWeights(
      net,
      cfgWith((c) => ((c.weights.scheme = 'binary'), (c.prune.enabled = true))),
    );
    expect(b[1].codes.every((c) => c === 1 || c === -1)).toBe(true); // pruning skipped: no zero code
  });

  it('is deterministic: same weights and seed give identical codes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'fixed',
          'uniform',
          'tensorflow8b',
          'twn',
          'ttq',
          'ttqFixedSparsity',
          'binary',
          'cgs',
        ),
        fc.integer({ min: 0, max: 1000 }),
        fc.boolean(),
        (scheme, seed, share) => {
          const cfg = cfgWith((c) => {
            c.weights.scheme = scheme as QuantConfig['weights']['scheme'];
            c.weights.cgs = { br: 2, bc: 2, compression: 3, bits: 3 };
            c.share.enabled = share;
            c.prune.enabled = true;
          });
          const a = quantizeNetworkWeights(smallNet(), cfg, { seed });
          const b = quantizeNetworkWeights(smallNet(), cfg, { seed });
          a.forEach((q, i) => {
            expect(Array.from(q.codes)).toEqual(Array.from(b[i].codes));
            expect(Array.from(q.values)).toEqual(Array.from(b[i].values));
          });
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });
});

describe('footprint.resnet18', () => {
  it('TWN with conv1 kept FP32 and the dense FP32 reference', () => {
    const t = target('footprint.resnet18');
    const shapes: number[][] = [[64, 3, 7, 7]];
    const stage = (k: number, c: number, downsample: boolean) => {
      shapes.push([k, c, 3, 3], [k, k, 3, 3], [k, k, 3, 3], [k, k, 3, 3]);
      if (downsample) shapes.push([k, c, 1, 1]);
    };
    stage(64, 64, false);
    stage(128, 64, true);
    stage(256, 128, true);
    stage(512, 256, true);
    expect(shapes).toHaveLength(t.inputs.convLayers as number);
    expect(shapes[0].reduce((a, b) => a * b)).toBe(t.inputs.firstConvWeights);
    const layers: NetworkLayerWeights[] = shapes.map((shape, i) => {
      const n = shape.reduce((a, b) => a * b);
      const weights = new Float32Array(n);
      for (let j = 0; j < n; j++) weights[j] = (((j * 7919 + i) % 201) - 100) / 1000;
      return { name: `conv${i}`, kind: 'conv', shape, weights, isFirst: i === 0, isLast: false };
    });
    const fcLayer: NetworkLayerWeights = {
      name: 'fc',
      kind: 'fc',
      shape: [1000, 512],
      weights: new Float32Array(512000),
      isFirst: false,
      isLast: true,
    };
    const out = quantizeNetworkWeights(
      [...layers, fcLayer],
      cfgWith((c) => (c.weights.scheme = 'twn')),
    );
    const convWeights = layers.reduce((s, l) => s + l.weights.length, 0);
    const bits = out.slice(0, 20).reduce((s, q) => s + q.storageBits, 0);
    expect(convWeights).toBe(t.expected.convWeights);
    expect(32 * convWeights).toBe(t.expected.fp32Bits);
    expect(bits).toBe(t.expected.twnFirstConvFp32Bits);
    expect(Math.abs((32 * convWeights) / bits - t.expected.ratio)).toBeLessThan(t.tolerance.value as number);
    expect(out[20].codes.length).toBe(t.expected.fcWeights);
  });
});

describe('activations and network width', () => {
  it('profiled range-based P = 16 by default, percentile option, P = 8 preset', () => {
    const x = Float32Array.from([0, 0.3, 2.5, 5.9]);
    const q = quantizeActivations(x, { scheme: 'fixed', bits: 16, percentile: false });
    // M = 5.9 -> I = 3, mag 4, frac 12
    expect([q.mag, q.frac, q.precision]).toEqual([4, 12, 16]);
    expect(Array.from(q.codes)).toEqual([0, 1229, 10240, 24166]); // 0.3·4096 = 1228.8…, 5.9·4096 = 24166.4…
    const q8 = quantizeActivations(x, { scheme: 'fixed', bits: 8, percentile: false });
    expect([q8.mag, q8.frac]).toEqual([4, 4]);
  });

  it('tensorflow_8b activations match the validation codes', () => {
    const t = target('quant.tensorflow8b');
    const q = quantizeActivations(Float32Array.from(t.inputs.unsignedTensor as number[]), {
      scheme: 'tensorflow8b',
      bits: 8,
      percentile: false,
    });
    expect(Array.from(q.codes)).toEqual(t.expected.unsignedCodes);
    expect(q.precision).toBe(8);
    expect(q.scale).toBe(255);
  });

  it('network width is 16, or 8 with tensorflow_8b', () => {
    expect(networkWidth(defaultQuantConfig())).toBe(16);
    expect(networkWidth(cfgWith((c) => (c.acts.scheme = 'tensorflow8b')))).toBe(8);
    expect(networkWidth(cfgWith((c) => (c.weights.scheme = 'tensorflow8b')))).toBe(8);
  });
});
