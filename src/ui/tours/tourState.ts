import { deepEqual, defaultLinkState, getPath, setPath, type LinkState } from '../state/linkState';
import { LINK_FIELDS, validateLongState, type ParseContext } from '../state/schema';
import { applyPresetTo } from '../state/presets';
import { SHIPPED_TOURS } from './shipped';
import type { Tour, TourRef, TourStep } from './types';

/** The tour a reference points at (a shipped one by id, or the custom tour it carries). */
export function tourOf(ref: TourRef): Tour | null {
  if ('custom' in ref) return ref.custom;
  return SHIPPED_TOURS.find((t) => t.id === ref.id) ?? null;
}

/** A key that names the tour and step (for remembering which predictions were revealed). */
export function stepKey(ref: TourRef): string {
  return 'custom' in ref ? `custom:${ref.custom.title}:${ref.step}` : `${ref.id}:${ref.step}`;
}

function applyModel(state: LinkState, model: string): void {
  const defaults = defaultLinkState(model);
  state.model = defaults.model;
  state.quant = defaults.quant;
  state.accels = defaults.accels;
  state.params = defaults.params;
}

/**
 * The state shown at `step`: the defaults with steps 0..step applied in order (a preset or a new model resets
 * the configuration to its own defaults first, then the step's fields apply). Deterministic, so ← and →
 * always show the same state for the same step. View fields start at the top of the layer and cycle 0.
 */
export function tourStepState(tour: Tour, step: number, ctx: ParseContext): LinkState {
  const state = defaultLinkState();
  const last = Math.min(Math.max(0, step), tour.steps.length - 1);
  for (let i = 0; i <= last; i++) {
    const s = tour.steps[i];
    if (s.preset) applyPresetTo(state, s.preset);
    if (!s.state) continue;
    const { value } = validateLongState(s.state, ctx);
    const model = getPath(value, 'model');
    if (typeof model === 'string' && model !== state.model) applyModel(state, model);
    for (const path of leafPaths(value)) setPath(state, path, structuredClone(getPath(value, path)));
  }
  state.playing = false;
  return state;
}

/** Paths of the fields in a validated long-form state (objects that are field values stay whole). */
function leafPaths(value: Record<string, unknown>, prefix = ''): string[] {
  const whole = new Set(['params', 'b']);
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !whole.has(path))
      out.push(...leafPaths(v as Record<string, unknown>, path));
    else out.push(path);
  }
  return out;
}

/** The state of `ref`'s step with the page's presentation fields and the tour reference kept. */
export function enterTourStep(current: LinkState, ref: TourRef, ctx: ParseContext): LinkState | null {
  const tour = tourOf(ref);
  if (!tour) return null;
  const step = Math.min(Math.max(0, ref.step), tour.steps.length - 1);
  const state = tourStepState(tour, step, ctx);
  state.presentation = current.presentation;
  state.hide = [...current.hide];
  state.tour = structuredClone({ ...ref, step });
  return state;
}

const NOT_RECORDED: ReadonlySet<string> = new Set(['t', 'pz', 'h', 'pl']);

/**
 * A step that takes a tour from its last step (or from the defaults) to `current`: only the fields that
 * differ, so the tour stays short; a new model is written first because it resets the configuration.
 */
export function recordStep(tour: Tour | null, current: LinkState, ctx: ParseContext, caption = ''): TourStep {
  const base =
    tour && tour.steps.length > 0 ? tourStepState(tour, tour.steps.length - 1, ctx) : defaultLinkState();
  const state: Record<string, unknown> = {};
  if (current.model !== base.model) {
    applyModel(base, current.model);
    state.model = current.model;
  }
  for (const f of LINK_FIELDS) {
    if (!f.inLink || NOT_RECORDED.has(f.key) || f.key === 'm') continue;
    const value = getPath(current, f.path);
    if (!deepEqual(value, getPath(base, f.path))) setPath(state, f.path, structuredClone(value));
  }
  return { caption, state };
}
