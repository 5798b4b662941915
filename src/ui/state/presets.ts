import { findPreset, presetConfig, PAPER_PRESETS, type PaperPreset } from '../../sim/presets/papers';
import { stableStringify } from '../../workers/keys';
import type { LinkState } from './linkState';
import type { ModelId, ParamValue } from '../../sim/accel/types';
import { PARAM_CATALOG } from './catalog';

/** Parameters without those equal to their declared default (links leave those out too). */
export function withoutDefaults(params: Record<string, ParamValue>): Record<string, ParamValue> {
  return Object.fromEntries(
    Object.entries(params).filter(([name, v]) => {
      const [id, param] = name.split('.');
      return PARAM_CATALOG[id as ModelId]?.find((s) => s.name === param)?.default !== v;
    }),
  );
}

/** Replaces the configuration part of `state` with a paper preset's (view fields stay). */
export function applyPresetTo(state: LinkState, id: string): void {
  const config = presetConfig(id);
  state.model = config.model;
  state.images = config.images;
  state.imageOffset = config.imageOffset;
  state.seed = config.seed;
  state.quant = config.quant;
  state.accels = [...config.accels];
  state.params = withoutDefaults(config.params);
  state.cycle = 0;
  state.playing = false;
  if (!state.accels.includes(state.gridAccel))
    state.gridAccel = state.accels.find((a) => a !== 'dadn') ?? state.accels[0] ?? state.gridAccel;
}

type ConfigPart = Pick<LinkState, 'model' | 'quant' | 'accels' | 'params'>;

function configKey(c: ConfigPart): string {
  return stableStringify({
    model: c.model,
    quant: c.quant,
    accels: c.accels,
    params: withoutDefaults(c.params),
  });
}

let presetKeys: Map<string, string> | null = null;

/** The preset whose model, quantisation, accelerators and parameters these are, if any. */
export function matchingPreset(state: ConfigPart): PaperPreset | null {
  presetKeys ??= new Map(PAPER_PRESETS.map((p) => [configKey(presetConfig(p.id)), p.id]));
  const id = presetKeys.get(configKey(state));
  return id ? findPreset(id) : null;
}

export { findPreset, PAPER_PRESETS };
