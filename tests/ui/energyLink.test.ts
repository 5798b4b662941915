import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import { configFromLink, decodeLink, encodeLink, toPayload } from '../../src/ui/state/hash';
import { defaultLinkState, toSimConfig } from '../../src/ui/state/linkState';
import { toBase64Url } from '../../src/ui/state/base64url';
import { DEFAULT_ENERGY_CONSTANTS, type EnergyConstantKey } from '../../src/sim/energy';
import { ENERGY_CONSTANT_MAX } from '../../src/sim/energyConfig';
import { defaultConfig } from '../../src/sim/config';

const ctx = { catalog: {}, customModelLoaded: false };
const KEYS = Object.keys(DEFAULT_ENERGY_CONSTANTS) as EnergyConstantKey[];

function v1(payload: unknown): string {
  return `1.${toBase64Url(deflateSync(strToU8(JSON.stringify(payload))))}`;
}

describe('energy constants in links (key e)', () => {
  it('are absent from default links and default configurations', () => {
    expect(toPayload(defaultLinkState(), ctx).e).toBeUndefined();
    expect(toSimConfig(defaultLinkState())).toEqual(defaultConfig());
  });

  it('round-trip any set of overrides, including one equal to its default', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...KEYS), fc.double({ min: 0, max: 1e6, noNaN: true })),
        (energy) => {
          const s = defaultLinkState();
          s.energy = energy;
          const decoded = decodeLink(encodeLink(s, ctx), ctx);
          expect(decoded.notices).toEqual([]);
          expect(decoded.state.energy).toEqual(energy);
          const config = toSimConfig(decoded.state);
          if (Object.keys(energy).length === 0) expect(config.energy).toBeUndefined();
          else expect(config.energy).toEqual(energy);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
    const s = defaultLinkState();
    s.energy = { intMul16: DEFAULT_ENERGY_CONSTANTS.intMul16 };
    expect(decodeLink(encodeLink(s, ctx), ctx).state.energy).toEqual({ intMul16: 0.8 });
  });

  it('drops unknown names and non-numbers, clamps negative and huge values, and says so', () => {
    const hash = v1({
      m: 'fmnist-resnet20',
      e: { dramPerWord: 640, warpCore: 3, sram8KB: 'cheap', intAdd8: -1, sram1MB: 1e300 },
    });
    const { state, notices } = decodeLink(hash, ctx);
    expect(state.energy).toEqual({ dramPerWord: 640, intAdd8: 0, sram1MB: ENERGY_CONSTANT_MAX });
    const text = notices.join('\n');
    expect(text).toMatch(/energy constants: .*'warpCore' is not an energy constant/);
    expect(text).toMatch(/sram8KB: "cheap" is not a number/);
    expect(text).toMatch(/intAdd8: -1 is outside/);
    expect(decodeLink(v1({ m: 'fmnist-resnet20', e: [1, 2] }), ctx).notices.join()).toMatch(
      /energy constants/,
    );
    expect(configFromLink(hash, ctx).config.energy).toEqual(state.energy);
  });
});
