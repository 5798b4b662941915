import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import { decodeLink, encodeLink, MAX_HASH_LENGTH } from '../../src/ui/state/hash';
import { defaultLinkState, type LinkState } from '../../src/ui/state/linkState';
import { IMAGES_MAX, type ParamCatalog, type ParseContext } from '../../src/ui/state/schema';
import { fromBase64Url, toBase64Url } from '../../src/ui/state/base64url';
import { BUILTIN_MODELS } from '../../src/sim/config';
import { MODEL_IDS } from '../../src/sim/accel/types';

const catalog: ParamCatalog = {
  laconic: [
    { name: 'rows', type: 'int', default: 16, min: 1, max: 64, description: 'rows' },
    {
      name: 'tileSync',
      type: 'enum',
      default: 'windowGroup',
      options: ['windowGroup', 'step'],
      description: '',
    },
    { name: 'zeroCount', type: 'boolean', default: true, description: '' },
  ],
  dlac: [{ name: 'chunk', type: 'int', default: 16, min: 1, max: 1024, description: '' }],
};
const ctx: ParseContext = { catalog, customModelLoaded: false };

/** Hand-made v1 hash from a payload, independent of encodeLink. */
function v1(payload: unknown): string {
  return `1.${toBase64Url(deflateSync(strToU8(JSON.stringify(payload))))}`;
}

const arbState: fc.Arbitrary<LinkState> = fc
  .record({
    model: fc.constantFrom(...BUILTIN_MODELS),
    images: fc.integer({ min: 1, max: IMAGES_MAX }),
    imageOffset: fc.integer({ min: 0, max: 9999 }),
    bits: fc.integer({ min: 2, max: 16 }),
    scheme: fc.constantFrom('fixed', 'uniform', 'twn', 'ttq', 'binary', 'cgs'),
    prune: fc.boolean(),
    fraction: fc.double({ min: 0, max: 0.99, noNaN: true }),
    theta: fc.double({ min: 0, max: 10, noNaN: true }),
    accels: fc.subarray([...MODEL_IDS]),
    rows: fc.integer({ min: 1, max: 64 }),
    sync: fc.constantFrom('windowGroup', 'step'),
    layer: fc.string({ maxLength: 30 }),
    view: fc.constantFrom('overview', 'pe', 'occupancy', 'terms', 'quant', 'accuracy'),
    gridAccel: fc.constantFrom(...MODEL_IDS),
    cycle: fc.integer({ min: 0, max: 100000 }),
    speed: fc.double({ min: 0.25, max: 120, noNaN: true }),
  })
  .map((r) => {
    const s = defaultLinkState(r.model);
    s.images = r.images;
    s.imageOffset = r.imageOffset;
    s.quant.weights.bits = r.bits;
    s.quant.weights.scheme = r.scheme as LinkState['quant']['weights']['scheme'];
    s.quant.prune.enabled = r.prune;
    s.quant.prune.fraction = r.fraction;
    s.quant.reluThreshold.theta = r.theta;
    s.accels = MODEL_IDS.filter((id) => r.accels.includes(id));
    s.params = {};
    if (r.rows !== 16) s.params['laconic.rows'] = r.rows;
    if (r.sync !== 'windowGroup') s.params['laconic.tileSync'] = r.sync;
    s.layer = r.layer;
    s.view = r.view as LinkState['view'];
    s.gridAccel = r.gridAccel;
    s.cycle = r.cycle;
    s.speed = r.speed;
    return s;
  });

describe('link hash: encode then decode', () => {
  it('restores every link field exactly, with no notices', () => {
    fc.assert(
      fc.property(arbState, (state) => {
        const hash = encodeLink(state, ctx);
        expect(hash).toMatch(/^1\.[A-Za-z0-9_-]+$/);
        const decoded = decodeLink(`#${hash}`, ctx);
        expect(decoded.notices).toEqual([]);
        expect(decoded.state).toEqual(state);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('keeps the default state out of the payload except the model', () => {
    const hash = encodeLink(defaultLinkState(), ctx);
    expect(decodeLink(hash, ctx).state).toEqual(defaultLinkState());
    expect(hash.length).toBeLessThan(40);
  });

  it('writes only non-default accelerator parameters', () => {
    const s = defaultLinkState();
    s.params = { 'laconic.rows': 16, 'laconic.zeroCount': false };
    const decoded = decodeLink(encodeLink(s, ctx), ctx);
    expect(decoded.state.params).toEqual({ 'laconic.zeroCount': false });
  });

  it('never restores "playing" from a link (links do not autoplay)', () => {
    const s = defaultLinkState();
    s.playing = true;
    expect(decodeLink(encodeLink(s, ctx), ctx).state.playing).toBe(false);
    const hostile = decodeLink(v1({ m: 'fmnist-resnet20', pl: true }), ctx);
    expect(hostile.state.playing).toBe(false);
    expect(hostile.notices.join()).toContain('pl');
  });

  it('round-trips base64url for every length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(Array.from(fromBase64Url(toBase64Url(bytes)))).toEqual(Array.from(bytes));
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('link hash: broken and hostile links', () => {
  it('empty hash gives the defaults silently', () => {
    expect(decodeLink('', ctx)).toEqual({ state: defaultLinkState(), notices: [], version: null });
    expect(decodeLink('#', ctx).notices).toEqual([]);
  });

  it.each([
    ['garbage', '#hello-world'],
    ['bad base64', '#1.!!!!'],
    ['truncated deflate', `#${v1({ m: 'fmnist-resnet20', n: 5 }).slice(0, 12)}`],
    ['not JSON', `#1.${toBase64Url(deflateSync(strToU8('{nope')))}`],
    ['JSON array', `#${v1([1, 2, 3])}`],
    ['too long', `#1.${'A'.repeat(MAX_HASH_LENGTH + 10)}`],
    ['broken v0', '#%7B%22model%22%3A'],
  ])('%s: defaults and one notice', (_name, hash) => {
    const decoded = decodeLink(hash, ctx);
    expect(decoded.state).toEqual(defaultLinkState());
    expect(decoded.notices).toHaveLength(1);
  });

  it('a decompression bomb is refused', () => {
    const bomb = `1.${toBase64Url(deflateSync(strToU8(`{"l":"${'x'.repeat(200_000)}"}`)))}`;
    expect(bomb.length).toBeLessThan(MAX_HASH_LENGTH);
    const decoded = decodeLink(bomb, ctx);
    expect(decoded.state).toEqual(defaultLinkState());
    expect(decoded.notices[0]).toMatch(/too large/);
  });

  it('clamps out-of-range numbers and reports them, keeping the good fields', () => {
    const decoded = decodeLink(
      v1({ m: 'fmnist-resnet20-dlac', n: 5000, o: -3, wb: 99, v: 'terms', x: 0 }),
      ctx,
    );
    expect(decoded.state.model).toBe('fmnist-resnet20-dlac');
    expect(decoded.state.quant.weights.scheme).toBe('twn'); // the model's default scheme
    expect(decoded.state.images).toBe(IMAGES_MAX);
    expect(decoded.state.imageOffset).toBe(0);
    expect(decoded.state.quant.weights.bits).toBe(16);
    expect(decoded.state.speed).toBe(0.25);
    expect(decoded.state.view).toBe('terms');
    expect(decoded.notices).toHaveLength(4);
    expect(decoded.notices.join('\n')).toMatch(/images: 5000 is above the maximum 1000; using 1000/);
  });

  it('ignores wrong types, unknown values and unknown keys with a notice each', () => {
    const decoded = decodeLink(
      v1({
        m: 'no-such-model',
        n: 'ten',
        a: ['dadn', 'warp-drive', 'laconic'],
        v: '<script>',
        zz: 1,
        c: 1.5,
      }),
      ctx,
    );
    const d = defaultLinkState();
    expect(decoded.state.model).toBe(d.model);
    expect(decoded.state.images).toBe(d.images);
    expect(decoded.state.accels).toEqual(['dadn', 'laconic']);
    expect(decoded.state.view).toBe('overview');
    expect(decoded.state.cycle).toBe(0);
    expect(decoded.notices).toHaveLength(6);
  });

  it('validates accelerator parameters against their declarations', () => {
    const decoded = decodeLink(
      v1({
        p: {
          'laconic.rows': 1000,
          'laconic.tileSync': 'bogus',
          'laconic.nope': 1,
          'x.y': 2,
          'dlac.chunk': 8,
          'eie.pes': 32,
        },
      }),
      ctx,
    );
    // laconic.rows clamped, dlac.chunk kept, eie (no declarations known here) kept as a plain value
    expect(decoded.state.params).toEqual({ 'laconic.rows': 64, 'dlac.chunk': 8, 'eie.pes': 32 });
    expect(decoded.notices).toHaveLength(1);
    expect(decoded.notices[0].split(';').length).toBeGreaterThanOrEqual(4);
  });

  it('refuses a custom model in a link unless one is loaded', () => {
    expect(decodeLink(v1({ m: 'custom' }), ctx).state.model).toBe('fmnist-resnet20');
    expect(decodeLink(v1({ m: 'custom' }), { ...ctx, customModelLoaded: true }).state.model).toBe('custom');
  });

  it('keeps settings it knows from a newer version, with a notice', () => {
    const decoded = decodeLink(`9${v1({ m: 'fmnist-resnet20', n: 3 }).slice(1)}`, ctx);
    expect(decoded.state.images).toBe(3);
    expect(decoded.notices[0]).toMatch(/newer version/);
  });

  it('never throws on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const decoded = decodeLink(text, ctx);
        expect(decoded.state.model).toBeTypeOf('string');
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('link hash: migration from v0 (plain JSON)', () => {
  it('reads a URI-encoded plain-JSON link with long names', () => {
    const v0 = {
      model: 'fmnist-resnet20-ttq',
      images: 4,
      quant: { weights: { scheme: 'ttq', ttqT: 0.1 }, prune: { enabled: true } },
      accels: ['laconic', 'dadn'],
      layer: 'layer2.0.conv1',
      view: 'pe',
    };
    const decoded = decodeLink(`#${encodeURIComponent(JSON.stringify(v0))}`, ctx);
    expect(decoded.version).toBe(0);
    expect(decoded.notices).toEqual([]);
    const expected = defaultLinkState('fmnist-resnet20-ttq');
    expected.images = 4;
    expected.quant.weights.ttqT = 0.1;
    expected.quant.prune.enabled = true;
    expected.accels = ['dadn', 'laconic'];
    expected.layer = 'layer2.0.conv1';
    expected.view = 'pe';
    expect(decoded.state).toEqual(expected);
  });
});

describe('structural sharing of link updates', () => {
  it('keeps unchanged sub-objects and equal states identical', async () => {
    const { shareUnchanged } = await import('../../src/ui/state/linkState');
    const a = defaultLinkState();
    const b = structuredClone(a);
    b.cycle = 5;
    const shared = shareUnchanged(a, b);
    expect(shared).toEqual(b);
    expect(shared.quant).toBe(a.quant);
    expect(shared.accels).toBe(a.accels);
    expect(shareUnchanged(a, structuredClone(a))).toBe(a);
    const c = structuredClone(a);
    c.quant.prune.fraction = 0.7;
    const sharedC = shareUnchanged(a, c);
    expect(sharedC.quant).not.toBe(a.quant);
    expect(sharedC.quant.weights).toBe(a.quant.weights);
  });
});

describe('configFromLink (CLI --config HASH)', () => {
  it('gives the SimConfig of a link and drops view fields', async () => {
    const { configFromLink } = await import('../../src/ui/state/hash');
    const { defaultConfig } = await import('../../src/sim/config');
    const s = defaultLinkState('fmnist-resnet20-dlac');
    s.images = 7;
    s.view = 'pe';
    s.params = { 'laconic.rows': 8 };
    const { config, notices } = configFromLink(`#${encodeLink(s, ctx)}`, ctx);
    expect(notices).toEqual([]);
    const expected = defaultConfig('fmnist-resnet20-dlac');
    expected.images = 7;
    expected.params = { 'laconic.rows': 8 };
    expect(config).toEqual(expected);
  });
});
