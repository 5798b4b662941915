import { BUILTIN_MODELS } from '../../sim/config';
import { MODEL_IDS, type ModelId, type ParamSpec, type ParamValue } from '../../sim/accel/types';
import { CONTROL_GROUPS, VIEW_IDS, setPath, type LinkState } from './linkState';
import { parseTourRef } from '../tours/tourField';
import { checkEnergyOverrides } from '../../sim/energyConfig';

/**
 * The link schema, declared once, field by field: short key in the link, path into LinkState, validator
 * (which clamps where a nearby value makes sense and otherwise rejects), and whether it goes into links.
 * Version 1. Changing a key or a meaning needs a new version and a migration in migrate.ts.
 */
export const LINK_VERSION = 1;

export const IMAGES_MAX = 1000;
export const IMAGE_OFFSET_MAX = 9999;
export const SPEED_MIN = 0.25;
export const SPEED_MAX = 120;

/** Parameter declarations per accelerator, when the accelerator catalogue is available. */
export type ParamCatalog = Partial<Record<ModelId, readonly ParamSpec[]>>;

export interface ParseContext {
  catalog: ParamCatalog;
  /** A custom ONNX model is loaded in this page, so 'custom' is a valid model. */
  customModelLoaded: boolean;
}

export type Parsed = { value: unknown; note?: string } | { ignored: string };

export interface FieldSpec {
  key: string;
  path: string;
  label: string;
  inLink: boolean;
  parse(raw: unknown, ctx: ParseContext): Parsed;
  /** Value written to the link; undefined leaves the field out. Default: omit when equal to the default. */
  encode?(value: unknown, ctx: ParseContext): unknown;
}

/**
 * Values nested deeper than this are refused before a validator or a message recurses into them: about
 * 4,100 levels overflow the stack of JSON.stringify, and no setting nests more than a few levels.
 */
export const MAX_VALUE_DEPTH = 64;

/** Nesting depth of a JSON value (a scalar is 0), counted without recursion and only up to `limit` + 1. */
export function nestingDepth(value: unknown, limit = MAX_VALUE_DEPTH): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    const inner = depth + 1;
    if (inner > deepest) deepest = inner;
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) stack.push([child, inner]);
  }
  return deepest;
}

/** A short quotation of a link value for a notice; never throws. */
function fmt(v: unknown): string | undefined {
  if (typeof v === 'string') return `"${v.slice(0, 40)}"`;
  if (nestingDepth(v) > MAX_VALUE_DEPTH) return '(a deeply nested value)';
  try {
    return JSON.stringify(v)?.slice(0, 40);
  } catch {
    return '(an unreadable value)';
  }
}

const TOO_DEEP: Parsed = { ignored: `the value is nested more than ${MAX_VALUE_DEPTH} levels deep` };

/** Every field's validator refuses deep nesting first, wherever it is called (links, side B, tour steps). */
function depthGuarded(parse: FieldSpec['parse']): FieldSpec['parse'] {
  return (raw, ctx) => (nestingDepth(raw) > MAX_VALUE_DEPTH ? TOO_DEEP : parse(raw, ctx));
}

function finite(raw: unknown): raw is number {
  return typeof raw === 'number' && Number.isFinite(raw);
}

function clampNumber(raw: unknown, min: number, max: number, integer: boolean): Parsed {
  if (!finite(raw)) return { ignored: `${fmt(raw)} is not a number` };
  if (integer && !Number.isInteger(raw)) return { ignored: `${fmt(raw)} is not a whole number` };
  if (raw < min) return { value: min, note: `${raw} is below the minimum ${min}` };
  if (raw > max) return { value: max, note: `${raw} is above the maximum ${max}` };
  return { value: raw };
}

const int =
  (min: number, max: number) =>
  (raw: unknown): Parsed =>
    clampNumber(raw, min, max, true);
const num =
  (min: number, max: number) =>
  (raw: unknown): Parsed =>
    clampNumber(raw, min, max, false);
const bool = (raw: unknown): Parsed =>
  typeof raw === 'boolean' ? { value: raw } : { ignored: `${fmt(raw)} is not true/false` };
const oneOf =
  (options: readonly string[]) =>
  (raw: unknown): Parsed =>
    typeof raw === 'string' && options.includes(raw)
      ? { value: raw }
      : { ignored: `${fmt(raw)} is not one of ${options.join(', ')}` };

function parseModel(raw: unknown, ctx: ParseContext): Parsed {
  if (raw === 'custom') {
    return ctx.customModelLoaded
      ? { value: raw }
      : { ignored: 'a custom ONNX model cannot travel in a link; load the file again' };
  }
  return oneOf(BUILTIN_MODELS)(raw);
}

function parseAccels(raw: unknown): Parsed {
  if (!Array.isArray(raw)) return { ignored: `${fmt(raw)} is not a list` };
  const unknown = raw.filter((id) => !(MODEL_IDS as readonly unknown[]).includes(id));
  const value = MODEL_IDS.filter((id) => raw.includes(id));
  return unknown.length > 0
    ? { value, note: `unknown accelerator(s) ${unknown.map(fmt).join(', ')} left out` }
    : { value };
}

/** Validates one accelerator parameter against its declaration. */
export function parseParamValue(spec: ParamSpec, raw: unknown): Parsed {
  switch (spec.type) {
    case 'int':
      return clampNumber(raw, spec.min ?? -Infinity, spec.max ?? Infinity, true);
    case 'number':
      return clampNumber(raw, spec.min ?? -Infinity, spec.max ?? Infinity, false);
    case 'boolean':
      return bool(raw);
    case 'enum':
      return oneOf(spec.options ?? [])(raw);
  }
}

function parseParams(raw: unknown, ctx: ParseContext): Parsed {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ignored: `not an object` };
  const value: Record<string, ParamValue> = {};
  const notes: string[] = [];
  for (const [name, v] of Object.entries(raw as Record<string, unknown>)) {
    const [id, param, ...rest] = name.split('.');
    if (!(MODEL_IDS as readonly string[]).includes(id) || !param || rest.length > 0) {
      notes.push(`${fmt(name)} is not an accelerator parameter (ignored)`);
      continue;
    }
    const specs = ctx.catalog[id as ModelId];
    if (!specs) {
      // Without the catalogue only the value's shape can be checked; the simulator validates the rest.
      if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') value[name] = v;
      else notes.push(`${name}: ${fmt(v)} is not a plain value (ignored)`);
      continue;
    }
    const spec = specs.find((s) => s.name === param);
    if (!spec) {
      notes.push(`${name} is not a parameter of ${id} (ignored)`);
      continue;
    }
    const parsed = parseParamValue(spec, v);
    if ('ignored' in parsed) {
      notes.push(`${name}: ${parsed.ignored} (default used)`);
      continue;
    }
    if (parsed.note) notes.push(`${name}: ${parsed.note}; using ${fmt(parsed.value)}`);
    if (parsed.value !== spec.default) value[name] = parsed.value as ParamValue;
  }
  return notes.length > 0 ? { value, note: notes.join('; ') } : { value };
}

/** Only parameters that differ from their declared default go into a link. */
function encodeParams(value: unknown, ctx: ParseContext): unknown {
  const out: Record<string, ParamValue> = {};
  for (const [name, v] of Object.entries(value as Record<string, ParamValue>)) {
    const [id, param] = name.split('.');
    const spec = ctx.catalog[id as ModelId]?.find((s) => s.name === param);
    if (!spec || spec.default !== v) out[name] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parseHidden(raw: unknown): Parsed {
  if (!Array.isArray(raw)) return { ignored: `${fmt(raw)} is not a list` };
  const unknown = raw.filter((g) => !(CONTROL_GROUPS as readonly unknown[]).includes(g));
  const value = CONTROL_GROUPS.filter((g) => raw.includes(g));
  return unknown.length > 0
    ? { value, note: `unknown control group(s) ${unknown.map(fmt).join(', ')} left out` }
    : { value };
}

/** Link keys that say where the user looks rather than what is simulated; side B keeps none of them. */
export const VIEW_KEYS: ReadonlySet<string> = new Set([
  'l',
  'v',
  'g',
  'tf',
  'tw',
  'c',
  'x',
  'pl',
  'b',
  't',
  'pz',
  'h',
]);
/** Tour steps may set everything but tours and presentation. */
const TOUR_STEP_EXCLUDED: ReadonlySet<string> = new Set(['t', 'pz', 'h', 'pl']);

/**
 * A keyed payload (`{ ws: 'twn', ... }`) checked field by field; `excluded` keys are refused. The value keeps
 * only usable fields, parsed (clamped) as in a link.
 */
export function validateKeyedPayload(
  raw: Record<string, unknown>,
  ctx: ParseContext,
  excluded: ReadonlySet<string>,
): { value: Record<string, unknown>; notes: string[] } {
  const value: Record<string, unknown> = {};
  const notes: string[] = [];
  for (const [key, v] of Object.entries(raw)) {
    const f = FIELD_BY_KEY.get(key);
    if (!f || !f.inLink || excluded.has(key)) {
      notes.push(`${fmt(key)} is not allowed here (ignored)`);
      continue;
    }
    const parsed = f.parse(v, ctx);
    if ('ignored' in parsed) notes.push(`${f.label}: ${parsed.ignored}`);
    else {
      if (parsed.note) notes.push(`${f.label}: ${parsed.note}`);
      value[key] = parsed.value;
    }
  }
  return { value, notes };
}

/**
 * A partial state in long form (LinkState paths, as tours write it), checked field by field with the same
 * validators as links. Unknown paths and excluded fields are reported and dropped.
 */
export function validateLongState(
  raw: unknown,
  ctx: ParseContext,
  excluded: ReadonlySet<string> = TOUR_STEP_EXCLUDED,
): { value: Record<string, unknown>; notes: string[] } {
  if (!isPlainObject(raw)) return { value: {}, notes: ['the state is not an object'] };
  const byPath = new Map(LINK_FIELDS.filter((f) => f.inLink && !excluded.has(f.key)).map((f) => [f.path, f]));
  const value: Record<string, unknown> = {};
  const notes: string[] = [];
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${k}` : k;
      const f = byPath.get(path);
      if (f) {
        const parsed = f.parse(v, ctx);
        if ('ignored' in parsed) notes.push(`${f.label}: ${parsed.ignored}`);
        else {
          if (parsed.note) notes.push(`${f.label}: ${parsed.note}`);
          setPath(value, path, parsed.value);
        }
      } else if (isPlainObject(v) && [...byPath.keys()].some((p) => p.startsWith(`${path}.`))) walk(v, path);
      else notes.push(`${fmt(path)} is not a setting a tour can change`);
    }
  };
  walk(raw, '');
  return { value, notes };
}

/** Side B of the compare view: a keyed payload of configuration fields, validated like a link. */
function parseB(raw: unknown, ctx: ParseContext): Parsed {
  if (raw === null) return { value: null };
  if (!isPlainObject(raw)) return { ignored: 'not an object' };
  if (JSON.stringify(raw).length > 4000) return { ignored: 'too large' };
  const { value, notes } = validateKeyedPayload(raw, ctx, VIEW_KEYS);
  return notes.length > 0 ? { value, note: notes.join('; ') } : { value };
}

/** Energy constants: known names, numbers clamped to their range; unknown names are dropped with a note. */
function parseEnergy(raw: unknown): Parsed {
  const { value, problems } = checkEnergyOverrides(raw);
  return problems.length > 0 ? { value, note: problems.join('; ') } : { value };
}

/** Every override the user set goes into the link, even one equal to its default (it stops a derivation). */
function encodeEnergy(value: unknown): unknown {
  return value && Object.keys(value).length > 0 ? value : undefined;
}

const field = (
  key: string,
  path: string,
  label: string,
  parse: FieldSpec['parse'],
  extra: Partial<FieldSpec> = {},
): FieldSpec => ({ key, path, label, inLink: true, parse: depthGuarded(parse), ...extra });

/** Model first: the other defaults depend on it. */
export const LINK_FIELDS: readonly FieldSpec[] = [
  field('m', 'model', 'model', parseModel),
  field('n', 'images', 'images', int(1, IMAGES_MAX)),
  field('o', 'imageOffset', 'first image', int(0, IMAGE_OFFSET_MAX)),
  field('s', 'seed', 'seed', int(0, 2 ** 32 - 1)),
  field(
    'ws',
    'quant.weights.scheme',
    'weight scheme',
    oneOf(['fixed', 'uniform', 'tensorflow8b', 'twn', 'ttq', 'ttqFixedSparsity', 'binary', 'cgs']),
  ),
  field('wb', 'quant.weights.bits', 'weight bits', int(2, 16)),
  field('wy', 'quant.weights.symmetric', 'symmetric weights', bool),
  field('wg', 'quant.weights.granularity', 'weight granularity', oneOf(['layer', 'filter'])),
  field('wt', 'quant.weights.ttqT', 'TTQ threshold t', num(0, 1)),
  field('wp', 'quant.weights.ttqSparsity', 'TTQ sparsity p', num(0, 0.99)),
  field('wq', 'quant.weights.referenceQuirk', 'TTQ reference quirk', bool),
  field('cr', 'quant.weights.cgs.br', 'CGS block rows', int(1, 256)),
  field('cc', 'quant.weights.cgs.bc', 'CGS block columns', int(1, 256)),
  field('cx', 'quant.weights.cgs.compression', 'CGS compression', num(1, 256)),
  field('cb', 'quant.weights.cgs.bits', 'CGS bits', int(2, 16)),
  field('pe', 'quant.prune.enabled', 'pruning', bool),
  field('pm', 'quant.prune.mode', 'pruning mode', oneOf(['perLayer', 'global', 'stdThreshold'])),
  field('pf', 'quant.prune.fraction', 'pruning fraction', num(0, 0.99)),
  field('pq', 'quant.prune.q', 'pruning q', num(0, 5)),
  field('se', 'quant.share.enabled', 'weight sharing', bool),
  field('sc', 'quant.share.bitsConv', 'sharing bits (conv)', int(1, 12)),
  field('sf', 'quant.share.bitsFc', 'sharing bits (FC)', int(1, 12)),
  field('sz', 'quant.share.reserveZeroCode', 'sharing zero code', bool),
  field('si', 'quant.share.maxIter', 'sharing iterations', int(1, 1000)),
  field('as', 'quant.acts.scheme', 'activation scheme', oneOf(['fixed', 'tensorflow8b'])),
  field('ab', 'quant.acts.bits', 'activation bits', int(2, 16)),
  field('ap', 'quant.acts.percentile', 'activation percentile', bool),
  field('re', 'quant.reluThreshold.enabled', 'ReLU threshold', bool),
  field('rm', 'quant.reluThreshold.mode', 'ReLU threshold mode', oneOf(['absolute', 'relative'])),
  field('rt', 'quant.reluThreshold.theta', 'ReLU threshold θ', num(0, 10)),
  field('f1', 'quant.firstLayerFullPrecision', 'first layer full precision', bool),
  field('lf', 'quant.lastFcFullPrecision', 'last FC full precision', bool),
  field('a', 'accels', 'accelerators', parseAccels),
  field('p', 'params', 'accelerator parameters', parseParams, { encode: encodeParams }),
  field('e', 'energy', 'energy constants', parseEnergy, { encode: encodeEnergy }),
  field('l', 'layer', 'layer', (raw) =>
    typeof raw === 'string' && raw.length <= 200
      ? { value: raw }
      : { ignored: `${fmt(raw)} is not a layer name` },
  ),
  field('v', 'view', 'view', oneOf(VIEW_IDS)),
  field('g', 'gridAccel', 'PE-grid accelerator', oneOf(MODEL_IDS)),
  field('tf', 'tile.filter', 'tile filter block', int(0, 1_000_000)),
  field('tw', 'tile.window', 'tile window block', int(0, 1_000_000)),
  field('c', 'cycle', 'animation cycle', int(0, 10_000_000)),
  field('x', 'speed', 'animation speed', num(SPEED_MIN, SPEED_MAX)),
  field('pl', 'playing', 'playing', bool, { inLink: false }),
  field('b', 'b', 'compare side B', parseB),
  field('pz', 'presentation', 'presentation mode', bool),
  field('h', 'hide', 'hidden controls', parseHidden),
  field('t', 'tour', 'tour', (raw, ctx) => parseTourRef(raw, ctx, (state, c) => validateLongState(state, c))),
];

export const FIELD_BY_KEY: ReadonlyMap<string, FieldSpec> = new Map(LINK_FIELDS.map((f) => [f.key, f]));

/** Type guard used by the store when it takes a value from a form control. */
export function isKnownView(v: string): v is LinkState['view'] {
  return (VIEW_IDS as readonly string[]).includes(v);
}
