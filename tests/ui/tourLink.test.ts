import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import { decodeLink, encodeLink } from '../../src/ui/state/hash';
import { defaultLinkState } from '../../src/ui/state/linkState';
import { validateLongState, type ParseContext } from '../../src/ui/state/schema';
import { toBase64Url } from '../../src/ui/state/base64url';
import { PARAM_CATALOG } from '../../src/ui/state/catalog';
import { presetConfig, PAPER_PRESETS } from '../../src/sim/presets/papers';
import { SHIPPED_TOURS } from '../../src/ui/tours/shipped';
import { recordStep, tourStepState } from '../../src/ui/tours/tourState';
import type { Tour } from '../../src/ui/tours/types';

const ctx: ParseContext = { catalog: PARAM_CATALOG, customModelLoaded: false };

function v1(payload: unknown): string {
  return `1.${toBase64Url(deflateSync(strToU8(JSON.stringify(payload))))}`;
}

const custom: Tour = {
  title: 'Zeros on DLAC',
  summary: 'two steps',
  steps: [
    { caption: 'Start: {speedup:dlac}', state: { view: 'pe', layer: 'layer1.0.conv1', gridAccel: 'dlac' } },
    {
      caption: 'Ternary now.',
      state: { layer: 'layer3.2.conv2', quant: { weights: { scheme: 'twn' } } },
      predict: { question: 'Guess the speedup of layer3.2.conv2', answer: '{speedup:dlac:layer3.2.conv2}' },
    },
    { caption: 'A preset.', preset: 'eie' },
  ],
};

describe('tour links', () => {
  it('a shipped tour and its step survive encode → decode, at every step', () => {
    for (const tour of SHIPPED_TOURS) {
      for (let step = 0; step < tour.steps.length; step++) {
        const state = defaultLinkState();
        state.tour = { id: tour.id, step };
        const decoded = decodeLink(encodeLink(state, ctx), ctx);
        expect(decoded.notices).toEqual([]);
        expect(decoded.state.tour).toEqual({ id: tour.id, step });
      }
    }
  });

  it('a custom tour (captions, states, preset, prediction) survives encode → decode unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: custom.steps.length - 1 }), fc.boolean(), (step, presenting) => {
        const state = defaultLinkState();
        state.tour = { custom, step };
        state.presentation = presenting;
        state.hide = presenting ? ['layers', 'player'] : [];
        const decoded = decodeLink(encodeLink(state, ctx), ctx);
        expect(decoded.notices).toEqual([]);
        expect(decoded.state.tour).toEqual({ custom, step });
        expect(decoded.state.presentation).toBe(presenting);
        expect(decoded.state.hide).toEqual(state.hide);
      }),
      { seed: 42, numRuns: 20 },
    );
  });

  it('a link with only the tour shows the step: the steps up to it applied in order', () => {
    const decoded = decodeLink(v1({ m: 'fmnist-resnet20', t: { custom, step: 1 } }), ctx);
    expect(decoded.notices).toEqual([]);
    // view and gridAccel from step 0, layer and scheme from step 1
    expect(decoded.state).toMatchObject({ view: 'pe', gridAccel: 'dlac', layer: 'layer3.2.conv2' });
    expect(decoded.state.quant.weights.scheme).toBe('twn');
    // a preset step replaces the configuration with the preset's
    const atPreset = decodeLink(v1({ m: 'fmnist-resnet20', t: { custom, step: 2 } }), ctx).state;
    const eie = presetConfig('eie');
    expect(atPreset.accels).toEqual(eie.accels);
    expect(atPreset.quant).toEqual(eie.quant);
    expect(atPreset.layer).toBe('layer3.2.conv2');
  });

  it('a link with the tour and other fields keeps those fields (the user may have moved on)', () => {
    const decoded = decodeLink(
      v1({ m: 'fmnist-resnet20', v: 'terms', l: 'fc', t: { custom, step: 1 } }),
      ctx,
    );
    expect(decoded.state).toMatchObject({ view: 'terms', layer: 'fc' });
    expect(decoded.state.quant.weights.scheme).toBe('fixed');
  });

  it('a new model in a step starts from that model’s defaults', () => {
    const tour: Tour = {
      title: 't',
      steps: [
        { caption: 'a', state: { quant: { weights: { scheme: 'binary' } }, accels: ['dadn'] } },
        { caption: 'b', state: { model: 'fmnist-resnet20-ttq' } },
      ],
    };
    const s = tourStepState(tour, 1, ctx);
    expect(s.model).toBe('fmnist-resnet20-ttq');
    expect(s.quant).toEqual(defaultLinkState('fmnist-resnet20-ttq').quant);
    expect(s.accels).toEqual(defaultLinkState('fmnist-resnet20-ttq').accels);
  });

  it('clamps the step, refuses unknown tours and broken custom tours with notices', () => {
    const last = SHIPPED_TOURS[0].steps.length - 1;
    let d = decodeLink(v1({ m: 'fmnist-resnet20', t: { id: SHIPPED_TOURS[0].id, step: 99 } }), ctx);
    expect(d.state.tour).toEqual({ id: SHIPPED_TOURS[0].id, step: last });
    expect(d.notices.join(' ')).toContain('step 99');
    d = decodeLink(v1({ m: 'fmnist-resnet20', t: { id: 'no-such-tour', step: 0 } }), ctx);
    expect(d.state.tour).toBeNull();
    expect(d.notices.join(' ')).toContain('no-such-tour');
    d = decodeLink(v1({ m: 'fmnist-resnet20', t: { custom: { title: 'x', steps: [] } } }), ctx);
    expect(d.state.tour).toBeNull();
    expect(d.notices.join(' ')).toContain('no steps');
    d = decodeLink(v1({ m: 'fmnist-resnet20', t: 'dlac-depth' }), ctx);
    expect(d.state.tour).toBeNull();
    const huge = {
      title: 'x',
      steps: [{ caption: 'y'.repeat(1999) }, ...Array(8).fill({ caption: 'z'.repeat(1999) })],
    };
    d = decodeLink(v1({ m: 'fmnist-resnet20', t: { custom: huge } }), ctx);
    expect(d.state.tour).toBeNull();
    expect(d.notices.join(' ')).toContain('larger than');
  });

  it('checks step states with the link’s validators: clamps, drops unknown settings and bad steps', () => {
    const raw = {
      title: 'bad',
      steps: [
        { caption: 'ok', state: { quant: { weights: { bits: 99 } }, warp: 9, view: 'nowhere', tour: {} } },
        { nocaption: true },
        { caption: 'x', preset: 'no-such-preset', predict: { question: 'q' } },
      ],
    };
    const d = decodeLink(v1({ m: 'fmnist-resnet20', t: { custom: raw, step: 0 } }), ctx);
    const tour = d.state.tour;
    expect(tour && 'custom' in tour ? tour.custom.steps.length : 0).toBe(2);
    const first = tour && 'custom' in tour ? tour.custom.steps[0] : null;
    expect(first?.state).toEqual({ quant: { weights: { bits: 16 } } });
    const text = d.notices.join(' ');
    for (const expected of [
      'above the maximum 16',
      '"warp"',
      'nowhere',
      '"tour"',
      'step 2',
      'no-such-preset',
      'prediction',
    ])
      expect(text).toContain(expected);
  });

  it('recording the current state gives a step that reproduces it', () => {
    const first = tourStepState(custom, 0, ctx);
    const target = structuredClone(first);
    target.layer = 'fc';
    target.quant.acts.bits = 8;
    target.accels = ['dadn', 'eie'];
    const tour: Tour = { title: 'r', steps: [custom.steps[0]] };
    const step = recordStep(tour, target, ctx, 'c');
    expect(step.state).toEqual({ quant: { acts: { bits: 8 } }, accels: ['dadn', 'eie'], layer: 'fc' });
    const replayed = tourStepState({ ...tour, steps: [...tour.steps, step] }, 1, ctx);
    expect(replayed).toEqual({ ...target, playing: false });
  });
});

describe('shipped tours', () => {
  it('have at least three tours, each step valid under the link schema', () => {
    expect(SHIPPED_TOURS.length).toBeGreaterThanOrEqual(3);
    for (const tour of SHIPPED_TOURS) {
      for (const [i, step] of tour.steps.entries()) {
        if (step.state)
          expect(validateLongState(step.state, ctx).notes, `${tour.id} step ${i + 1}`).toEqual([]);
        if (step.preset) expect(PAPER_PRESETS.map((p) => p.id)).toContain(step.preset);
      }
    }
  });

  it('tell the stories on the shipped models: DLAC model, bit-serial models, EIE and block sparsity', () => {
    const models = (id: string) =>
      SHIPPED_TOURS.find((t) => t.id === id)!.steps.map((_, i) =>
        tourStepState(
          SHIPPED_TOURS.find((t) => t.id === id)!,
          i,
          ctx,
        ),
      );
    expect(
      models('dlac-depth').some((s) => s.model === 'fmnist-resnet20-dlac' && s.accels.includes('dlac')),
    ).toBe(true);
    const bit = models('bit-level');
    expect(
      bit.some((s) => ['laconic', 'pragmatic', 'stripes'].every((a) => s.accels.includes(a as never))),
    ).toBe(true);
    const comp = models('compression');
    expect(comp.some((s) => s.quant.prune.enabled && s.quant.share.enabled && s.accels.includes('eie'))).toBe(
      true,
    );
    expect(comp.some((s) => s.quant.weights.scheme === 'cgs' && s.quant.weights.cgs.bits === 3)).toBe(true);
  });
});

describe('compare side B in the link', () => {
  it('round-trips B’s configuration and drops view fields and nested B with notices', () => {
    const state = defaultLinkState();
    state.view = 'compare';
    state.b = { m: 'fmnist-resnet20-ttq', a: ['dadn', 'scnn'], ab: 8 };
    const decoded = decodeLink(encodeLink(state, ctx), ctx);
    expect(decoded.notices).toEqual([]);
    expect(decoded.state.b).toEqual(state.b);
    const bad = decodeLink(
      v1({ m: 'fmnist-resnet20', b: { m: 'fmnist-resnet20', v: 'pe', b: {}, ab: 99, zz: 1 } }),
      ctx,
    );
    expect(bad.state.b).toEqual({ m: 'fmnist-resnet20', ab: 16 });
    const text = bad.notices.join(' ');
    for (const expected of ['compare side B', '"v"', '"b"', '"zz"', 'above the maximum 16'])
      expect(text).toContain(expected);
  });
});
