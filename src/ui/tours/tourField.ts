import { PAPER_PRESETS } from '../../sim/presets/papers';
import type { ParseContext, Parsed } from '../state/schema';
import { SHIPPED_TOURS } from './shipped';
import type { Tour, TourPrediction, TourRef, TourStep } from './types';

/** Checks a step's partial state field by field against the link schema (passed in: schema.ts owns it). */
export type StateValidator = (
  raw: unknown,
  ctx: ParseContext,
) => { value: Record<string, unknown>; notes: string[] };

export const MAX_TOUR_STEPS = 40;
export const MAX_TOUR_JSON = 12_000;
const MAX_CAPTION = 2_000;
const MAX_TITLE = 120;
const MAX_QUESTION = 300;
const MAX_ANSWER = 200;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function text(raw: unknown, max: number): string | null {
  return typeof raw === 'string' && raw.length <= max ? raw : null;
}

function parsePredict(raw: unknown, notes: string[], where: string): TourPrediction | undefined {
  if (raw === undefined) return undefined;
  const question = isPlainObject(raw) ? text(raw.question, MAX_QUESTION) : null;
  const answer = isPlainObject(raw) ? text(raw.answer, MAX_ANSWER) : null;
  if (question === null || answer === null) {
    notes.push(`${where}: the prediction needs a question and an answer (left out)`);
    return undefined;
  }
  return { question, answer };
}

function parseStep(
  raw: unknown,
  index: number,
  ctx: ParseContext,
  validateState: StateValidator,
  notes: string[],
): TourStep | null {
  const where = `step ${index + 1}`;
  if (!isPlainObject(raw)) {
    notes.push(`${where} is not an object (left out)`);
    return null;
  }
  const caption = text(raw.caption, MAX_CAPTION);
  if (caption === null) {
    notes.push(`${where} has no caption of at most ${MAX_CAPTION} characters (left out)`);
    return null;
  }
  const step: TourStep = { caption };
  if (raw.preset !== undefined) {
    if (typeof raw.preset === 'string' && PAPER_PRESETS.some((p) => p.id === raw.preset))
      step.preset = raw.preset;
    else notes.push(`${where}: ${JSON.stringify(raw.preset)?.slice(0, 40)} is not a preset (ignored)`);
  }
  if (raw.state !== undefined) {
    const checked = validateState(raw.state, ctx);
    for (const n of checked.notes) notes.push(`${where}: ${n}`);
    if (Object.keys(checked.value).length > 0) step.state = checked.value;
  }
  const predict = parsePredict(raw.predict, notes, where);
  if (predict) step.predict = predict;
  const unknown = Object.keys(raw).filter((k) => !['caption', 'preset', 'state', 'predict'].includes(k));
  if (unknown.length > 0) notes.push(`${where}: unknown field(s) ${unknown.slice(0, 4).join(', ')} ignored`);
  return step;
}

/** A custom tour from a link: every step checked, bad ones left out with a note. */
export function parseCustomTour(
  raw: unknown,
  ctx: ParseContext,
  validateState: StateValidator,
): { tour: Tour | null; notes: string[] } {
  const notes: string[] = [];
  if (!isPlainObject(raw)) return { tour: null, notes: ['the custom tour is not an object'] };
  if (JSON.stringify(raw).length > MAX_TOUR_JSON)
    return { tour: null, notes: [`the custom tour is larger than ${MAX_TOUR_JSON} characters`] };
  const title = text(raw.title, MAX_TITLE);
  if (title === null) notes.push(`the tour has no title of at most ${MAX_TITLE} characters`);
  if (!Array.isArray(raw.steps) || raw.steps.length === 0)
    return { tour: null, notes: [...notes, 'the custom tour has no steps'] };
  if (raw.steps.length > MAX_TOUR_STEPS) notes.push(`only the first ${MAX_TOUR_STEPS} steps are kept`);
  const steps = raw.steps
    .slice(0, MAX_TOUR_STEPS)
    .map((s, i) => parseStep(s, i, ctx, validateState, notes))
    .filter((s): s is TourStep => s !== null);
  if (steps.length === 0) return { tour: null, notes: [...notes, 'no step of the custom tour is usable'] };
  const tour: Tour = { title: title ?? 'Custom tour', steps };
  const summary = text(raw.summary, 300);
  if (summary) tour.summary = summary;
  return { tour, notes };
}

function clampStep(raw: unknown, steps: number, notes: string[]): number {
  if (raw === undefined) return 0;
  if (typeof raw !== 'number' || !Number.isInteger(raw)) {
    notes.push(`step ${JSON.stringify(raw)?.slice(0, 20)} is not a whole number; starting at the first`);
    return 0;
  }
  if (raw < 0 || raw >= steps) {
    const clamped = Math.min(steps - 1, Math.max(0, raw));
    notes.push(`step ${raw} is outside 0..${steps - 1}; using ${clamped}`);
    return clamped;
  }
  return raw;
}

/** The link field `t`: `{ id, step }` for a shipped tour or `{ custom: Tour, step }`. */
export function parseTourRef(raw: unknown, ctx: ParseContext, validateState: StateValidator): Parsed {
  if (raw === null) return { value: null };
  if (!isPlainObject(raw)) return { ignored: 'not a tour' };
  const notes: string[] = [];
  let ref: TourRef;
  if (raw.custom !== undefined) {
    const parsed = parseCustomTour(raw.custom, ctx, validateState);
    if (!parsed.tour) return { ignored: parsed.notes.join('; ') };
    notes.push(...parsed.notes);
    ref = { custom: parsed.tour, step: clampStep(raw.step, parsed.tour.steps.length, notes) };
  } else {
    const tour = SHIPPED_TOURS.find((t) => t.id === raw.id);
    if (!tour)
      return {
        ignored: `${JSON.stringify(raw.id)?.slice(0, 40)} is not a tour (tours: ${SHIPPED_TOURS.map((t) => t.id).join(', ')})`,
      };
    ref = { id: tour.id, step: clampStep(raw.step, tour.steps.length, notes) };
  }
  return notes.length > 0 ? { value: ref, note: notes.join('; ') } : { value: ref };
}
