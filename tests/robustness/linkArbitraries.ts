/**
 * Generators for link fuzzing: valid link states built field by field from the schema, and hostile
 * payloads (wrong types, out-of-range numbers, script-like strings, prototype keys, huge and deep values)
 * written as JSON text so that keys such as __proto__ stay ordinary own keys, as JSON.parse makes them.
 */
import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import { BUILTIN_MODELS } from '../../src/sim/config';
import { MODEL_IDS, type ParamSpec, type ParamValue } from '../../src/sim/accel/types';
import {
  CONTROL_GROUPS,
  defaultLinkState,
  setPath,
  VIEW_IDS,
  type LinkState,
} from '../../src/ui/state/linkState';
import { LINK_FIELDS, VIEW_KEYS, type ParseContext } from '../../src/ui/state/schema';
import { DEFAULT_ENERGY_CONSTANTS } from '../../src/sim/energy/constants';
import { ENERGY_CONSTANT_MAX } from '../../src/sim/energyConfig';
import { SHIPPED_TOURS } from '../../src/ui/tours/shipped';
import { toBase64Url } from '../../src/ui/state/base64url';

export const SCRIPT_STRINGS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(document.cookie)</script>',
  '"><svg onload=alert(1)>',
  "';alert(1);//",
  'javascript:alert(1)',
  '{{constructor.constructor("alert(1)")()}}',
  '${alert(1)}',
  '\u202eevil\u202c',
  '\u0000\u0001\u001f',
  '__proto__',
  'constructor',
  'prototype',
  '%3Cscript%3E',
  '\ud800',
  '\udfff\ud800',
];

export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
];

const WEIGHT_SCHEMES = [
  'fixed',
  'uniform',
  'tensorflow8b',
  'twn',
  'ttq',
  'ttqFixedSparsity',
  'binary',
  'cgs',
];

/** Strings with lone surrogates, control characters and script-like text as well as plain ones. */
export const anyString = (maxLength: number): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.string({ maxLength }),
      fc.string({ unit: 'binary', maxLength }),
      fc.string({
        unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
        maxLength,
      }),
      fc.constantFrom(...SCRIPT_STRINGS),
    )
    .filter((s) => s.length <= maxLength); // in UTF-16 code units, as the validators count

const real = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true }).map((v) => (Object.is(v, -0) ? 0 : v));

function paramValueArbitrary(spec: ParamSpec): fc.Arbitrary<ParamValue> {
  switch (spec.type) {
    case 'int':
      return fc.integer({ min: spec.min ?? -1_000_000, max: spec.max ?? 1_000_000 });
    case 'number':
      return real(spec.min ?? -1e6, spec.max ?? 1e6);
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...(spec.options ?? ['']));
  }
}

/** Accelerator parameters that differ from their declared defaults (a link never holds a default). */
function paramsArbitrary(ctx: ParseContext): fc.Arbitrary<Record<string, ParamValue>> {
  const specs = MODEL_IDS.flatMap((id) => (ctx.catalog[id] ?? []).map((spec) => ({ id, spec })));
  if (specs.length === 0) {
    // Without a catalogue any "id.name" with a plain value is kept as is.
    const name = fc
      .tuple(fc.constantFrom(...MODEL_IDS), fc.string({ minLength: 1, maxLength: 12 }))
      .filter(([, param]) => !param.includes('.'))
      .map(([id, param]) => `${id}.${param}`);
    const value = fc.oneof(real(-1e9, 1e9), fc.boolean(), anyString(30));
    return fc.dictionary(name, value, { maxKeys: 4, noNullPrototype: true });
  }
  return fc.subarray(specs, { maxLength: 6 }).chain((chosen) =>
    fc.tuple(...chosen.map(({ spec }) => paramValueArbitrary(spec))).map((values) => {
      const out: Record<string, ParamValue> = {};
      chosen.forEach(({ id, spec }, i) => {
        if (values[i] !== spec.default) out[`${id}.${spec.name}`] = values[i];
      });
      return out;
    }),
  );
}

/** Energy-constant overrides: known names, values in [0, ENERGY_CONSTANT_MAX]. */
const energy = fc
  .subarray(Object.keys(DEFAULT_ENERGY_CONSTANTS), { maxLength: 4 })
  .chain((keys) =>
    fc
      .tuple(...keys.map(() => real(0, ENERGY_CONSTANT_MAX)))
      .map((values) => Object.fromEntries(keys.map((k, i) => [k, values[i]]))),
  );

/** A shipped tour by id, or a small custom tour of captions (steps without state), at a step it has. */
const tourRef = fc.oneof(
  fc.constant(null),
  fc
    .constantFrom(...SHIPPED_TOURS)
    .chain((tour) =>
      fc.integer({ min: 0, max: tour.steps.length - 1 }).map((step) => ({ id: tour.id, step })),
    ),
  fc
    .tuple(
      anyString(120),
      fc.array(
        anyString(200).map((caption) => ({ caption })),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .chain(([title, steps]) =>
      fc.integer({ min: 0, max: steps.length - 1 }).map((step) => ({ custom: { title, steps }, step })),
    ),
);

/** One arbitrary per link key; the test checks that this table covers exactly the schema's link fields. */
export function fieldArbitraries(ctx: ParseContext): Record<string, fc.Arbitrary<unknown>> {
  const models: string[] = [...BUILTIN_MODELS, ...(ctx.customModelLoaded ? ['custom'] : [])];
  const configuration: Record<string, fc.Arbitrary<unknown>> = {
    m: fc.constantFrom(...models),
    n: fc.integer({ min: 1, max: 1000 }),
    o: fc.integer({ min: 0, max: 9999 }),
    s: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    ws: fc.constantFrom(...WEIGHT_SCHEMES),
    wb: fc.integer({ min: 2, max: 16 }),
    wy: fc.boolean(),
    wg: fc.constantFrom('layer', 'filter'),
    wt: real(0, 1),
    wp: real(0, 0.99),
    wq: fc.boolean(),
    cr: fc.integer({ min: 1, max: 256 }),
    cc: fc.integer({ min: 1, max: 256 }),
    cx: real(1, 256),
    cb: fc.integer({ min: 2, max: 16 }),
    pe: fc.boolean(),
    pm: fc.constantFrom('perLayer', 'global', 'stdThreshold'),
    pf: real(0, 0.99),
    pq: real(0, 5),
    se: fc.boolean(),
    sc: fc.integer({ min: 1, max: 12 }),
    sf: fc.integer({ min: 1, max: 12 }),
    sz: fc.boolean(),
    si: fc.integer({ min: 1, max: 1000 }),
    as: fc.constantFrom('fixed', 'tensorflow8b'),
    ab: fc.integer({ min: 2, max: 16 }),
    ap: fc.boolean(),
    re: fc.boolean(),
    rm: fc.constantFrom('absolute', 'relative'),
    rt: real(0, 10),
    f1: fc.boolean(),
    lf: fc.boolean(),
    a: fc.subarray([...MODEL_IDS]),
    p: paramsArbitrary(ctx),
    l: anyString(200),
    v: fc.constantFrom(...VIEW_IDS),
    g: fc.constantFrom(...MODEL_IDS),
    tf: fc.integer({ min: 0, max: 1_000_000 }),
    tw: fc.integer({ min: 0, max: 1_000_000 }),
    c: fc.integer({ min: 0, max: 10_000_000 }),
    x: real(0.25, 120),
    e: energy,
    pz: fc.boolean(),
    h: fc.subarray([...CONTROL_GROUPS]),
    t: tourRef,
  };
  // Side B of the compare view: a keyed payload of the configuration fields (no view keys), under 4000 characters.
  const sideBKeys = Object.keys(configuration).filter((k) => !VIEW_KEYS.has(k));
  const sideB = fc.oneof(
    fc.constant(null),
    fc
      .subarray(sideBKeys, { maxLength: 5 })
      .chain((keys) =>
        fc
          .tuple(...keys.map((k) => configuration[k]))
          .map((values) => Object.fromEntries(keys.map((k, i) => [k, values[i]]))),
      )
      .filter((b) => JSON.stringify(b).length <= 4000),
  );
  return { ...configuration, b: sideB };
}

/** A valid link state: the model's defaults with a random subset of the link fields set to valid values. */
export function validState(ctx: ParseContext): fc.Arbitrary<LinkState> {
  const arbs = fieldArbitraries(ctx);
  const keys = Object.keys(arbs).filter((k) => k !== 'm');
  return fc
    .tuple(arbs.m as fc.Arbitrary<string>, fc.subarray(keys))
    .chain(([model, chosen]) =>
      fc.tuple(fc.constant(model), fc.constant(chosen), fc.tuple(...chosen.map((k) => arbs[k]))),
    )
    .map(([model, chosen, values]) => {
      const state = defaultLinkState(model);
      chosen.forEach((key, i) => {
        const field = LINK_FIELDS.find((f) => f.key === key);
        if (field) setPath(state, field.path, values[i]);
      });
      return state;
    });
}

/** JSON text of a value nested `depth` levels deep in arrays or objects. */
export function nestedJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? '['.repeat(depth) + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** JSON text of hostile values: wrong types, out-of-range and non-finite numbers, big and nested values. */
export const hostileValueJson: fc.Arbitrary<string> = fc.oneof(
  fc.double().map((v) => JSON.stringify(v)), // NaN and ±Infinity become null
  fc.constantFrom(
    '1e308',
    '-1e308',
    '1e999',
    '-0',
    '0.5',
    '9007199254740993',
    '-1',
    '4294967296',
    '1.0e-320',
  ),
  fc.integer().map(String),
  anyString(60).map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null', '[]', '{}', '""'),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.constantFrom(...SCRIPT_STRINGS).map((s) => JSON.stringify([s, { [s]: s }])),
  // Huge arrays: 2,500 script strings inflate past the decoder's 64 KiB JSON limit, the others stay under it.
  fc.constantFrom(1000, 3000).map((n) => `[${Array(n).fill('"dadn"').join(',')}]`),
  fc.constantFrom(500, 2500).map((n) => `[${Array(n).fill('"<img src=x onerror=alert(1)>"').join(',')}]`),
  fc
    .tuple(fc.integer({ min: 1, max: 200 }), fc.constantFrom<'array' | 'object'>('array', 'object'))
    .map(([d, k]) => nestedJson(d, k)),
  fc.constantFrom(...PROTOTYPE_KEYS).map((k) => `{${JSON.stringify(k)}:{"polluted":true,"n":5}}`),
);

const KNOWN_KEYS = LINK_FIELDS.filter((f) => f.inLink).map((f) => f.key);

/** Keys of a version-1 payload: known ones, prototype keys and made-up ones, without repeats. */
export const payloadKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KNOWN_KEYS) },
  { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 1, arbitrary: anyString(12) },
);

/** Entries [key, JSON text of the value]; valid values appear too, so that partly valid links are common. */
export function payloadEntries(ctx: ParseContext): fc.Arbitrary<Array<[string, string]>> {
  const arbs = fieldArbitraries(ctx);
  const value = (key: string) =>
    Object.hasOwn(arbs, key)
      ? fc.oneof(
          hostileValueJson,
          arbs[key].map((v) => JSON.stringify(v)),
        )
      : hostileValueJson;
  return fc.uniqueArray(
    payloadKey.chain((key) => value(key).map((json): [string, string] => [key, json])),
    { maxLength: 12, selector: ([key]) => key },
  );
}

export function objectJson(entries: Array<[string, string]>): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

/** A version-prefixed link from JSON text or raw bytes, made independently of encodeLink. */
export function linkFromBytes(bytes: Uint8Array, version = 1, level: 1 | 9 = 1): string {
  return `${version}.${toBase64Url(deflateSync(bytes, { level }))}`;
}

export function linkFromJson(json: string, version = 1): string {
  return linkFromBytes(strToU8(json), version);
}
