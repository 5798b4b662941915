import { defaultConfig, type QuantConfig, type SimConfig } from '../../sim/config';
import type { ModelId, ParamValue } from '../../sim/accel/types';
import type { EnergyConstants } from '../../sim/energy/constants';
import type { TourRef } from '../tours/types';

/** Views the app shows as tabs; ids are what links store. */
export const VIEW_IDS = [
  'overview',
  'pe',
  'occupancy',
  'terms',
  'quant',
  'accuracy',
  'energy',
  'compare',
] as const;
export type ViewId = (typeof VIEW_IDS)[number];

/** Control groups a classroom link can hide in presentation mode (the settings column always is). */
export const CONTROL_GROUPS = ['layers', 'tabs', 'player', 'picker', 'tour'] as const;
export type ControlGroup = (typeof CONTROL_GROUPS)[number];

/**
 * Everything a link can restore: the SimConfig that defines the numbers plus where the user is looking.
 * Kept as plain data (no functions) so it can be cloned, compared and serialised.
 */
export interface LinkState {
  model: string;
  images: number;
  imageOffset: number;
  seed: number;
  quant: QuantConfig;
  accels: ModelId[];
  params: Record<string, ParamValue>;
  /** Energy-estimate constants changed by the user (SimConfig.energy); {} = all defaults. */
  energy: Partial<EnergyConstants>;
  /** Selected layer name; '' means "the first layer of the model". */
  layer: string;
  view: ViewId;
  /** Accelerator whose tile is drawn in the PE grid and occupancy views. */
  gridAccel: ModelId;
  tile: { filter: number; window: number };
  /** Animation position (cycle of the tile trace) and speed in cycles per second. */
  cycle: number;
  speed: number;
  /** Whether the PE grid animation runs; never written to links so that a link never autoplays. */
  playing: boolean;
  /** The compare view's side B: its configuration as link fields (keyed payload), validated like a link. */
  b: Record<string, unknown> | null;
  /** Presentation mode: large type, header and settings hidden. */
  presentation: boolean;
  /** Control groups hidden in presentation mode. */
  hide: ControlGroup[];
  /** The tour being played and its step; null outside tours. */
  tour: TourRef | null;
}

export function defaultLinkState(model: string = 'fmnist-resnet20'): LinkState {
  const config = defaultConfig(model);
  return {
    model: config.model,
    images: config.images,
    imageOffset: config.imageOffset,
    seed: config.seed,
    quant: config.quant,
    accels: [...config.accels],
    params: { ...config.params },
    energy: {},
    layer: '',
    view: 'overview',
    gridAccel: 'pragmatic',
    tile: { filter: 0, window: 0 },
    cycle: 0,
    speed: 4,
    playing: false,
    b: null,
    presentation: false,
    hide: [],
    tour: null,
  };
}

/** The part of the link state that defines a simulation result. */
export function toSimConfig(state: LinkState): SimConfig {
  return {
    version: 1,
    model: state.model,
    images: state.images,
    imageOffset: state.imageOffset,
    seed: state.seed,
    quant: structuredClone(state.quant),
    accels: [...state.accels],
    params: { ...state.params },
    // Absent rather than {} so that configurations without overrides stay what they were.
    ...(Object.keys(state.energy).length > 0 ? { energy: { ...state.energy } } : {}),
  };
}

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function setPath(obj: object, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (next === null || typeof next !== 'object') cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * `next` with every sub-object that equals its counterpart in `prev` replaced by that counterpart, so that
 * store subscribers watching an unchanged part (e.g. quant while the animation advances) do not re-render.
 */
export function shareUnchanged<T>(prev: T, next: T): T {
  if (deepEqual(prev, next)) return prev;
  if (typeof prev !== 'object' || typeof next !== 'object' || prev === null || next === null) return next;
  if (Array.isArray(prev) || Array.isArray(next)) return next;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next as Record<string, unknown>)) {
    out[k] = shareUnchanged((prev as Record<string, unknown>)[k], v);
  }
  return out as T;
}
