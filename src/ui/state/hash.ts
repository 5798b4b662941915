import { Inflate, deflateSync, strFromU8, strToU8 } from 'fflate';
import type { SimConfig } from '../../sim/config';
import { defaultLinkState, deepEqual, getPath, setPath, toSimConfig, type LinkState } from './linkState';
import { LINK_FIELDS, LINK_VERSION, type ParseContext } from './schema';
import { fromBase64Url, toBase64Url } from './base64url';
import { migrate } from './migrate';
import { enterTourStep } from '../tours/tourState';

/**
 * Link hash = `<version>.<base64url(deflate(JSON of the fields that differ from the defaults))>`.
 * Decoding never throws: whatever cannot be read is reported in `notices` and takes its default.
 */
export const MAX_HASH_LENGTH = 16_000;
const MAX_JSON_BYTES = 64 * 1024;

export interface DecodedLink {
  state: LinkState;
  /** Human-readable lines about ignored or clamped fields; empty for a clean link. */
  notices: string[];
  version: number | null;
}

export const defaultParseContext: ParseContext = { catalog: {}, customModelLoaded: false };

/** The keyed payload of a state: link fields whose value differs from the model's defaults. */
export function toPayload(
  state: LinkState,
  ctx: ParseContext = defaultParseContext,
): Record<string, unknown> {
  const defaults = defaultLinkState(state.model);
  const payload: Record<string, unknown> = {};
  for (const f of LINK_FIELDS) {
    if (!f.inLink) continue;
    const value = getPath(state, f.path);
    if (f.key === 'm') {
      payload.m = value; // always written so that the defaults of a link never depend on another field
      continue;
    }
    const encoded = f.encode
      ? f.encode(value, ctx)
      : deepEqual(value, getPath(defaults, f.path))
        ? undefined
        : value;
    if (encoded !== undefined) payload[f.key] = encoded;
  }
  return payload;
}

export function encodeLink(state: LinkState, ctx: ParseContext = defaultParseContext): string {
  const json = JSON.stringify(linkPayload(state, ctx));
  return `${LINK_VERSION}.${toBase64Url(deflateSync(strToU8(json), { level: 9 }))}`;
}

/** Keys a link may hold and still open its tour's step when it is decoded (see `fromPayload`). */
const TOUR_ONLY_KEYS: ReadonlySet<string> = new Set(['m', 't', 'pz', 'h']);

const opensTourStep = (payload: Record<string, unknown>): boolean =>
  Object.keys(payload).every((k) => TOUR_ONLY_KEYS.has(k));

function sameLinkFields(a: LinkState, b: LinkState): boolean {
  return LINK_FIELDS.every((f) => !f.inLink || deepEqual(getPath(a, f.path), getPath(b, f.path)));
}

/**
 * The payload of a link, so that decoding it gives `state` back. A payload of a tour and nothing else opens
 * the tour's step; when `state` is a tour at its defaults but not its step's state (the user reset the
 * settings, or a link such as `{"e":{},"t":…}` kept the defaults), the image count is written although it is
 * the default, which keeps the link about this state.
 */
function linkPayload(state: LinkState, ctx: ParseContext): Record<string, unknown> {
  const payload = toPayload(state, ctx);
  if (!state.tour || !opensTourStep(payload)) return payload;
  const step = enterTourStep(state, state.tour, ctx);
  return step && sameLinkFields(step, state) ? payload : { ...payload, n: state.images };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Applies a keyed payload (current version) onto the defaults of its model, field by field. */
export function fromPayload(
  payload: Record<string, unknown>,
  ctx: ParseContext,
): { state: LinkState; notices: string[] } {
  const notices: string[] = [];
  const modelField = LINK_FIELDS[0];
  let model = 'fmnist-resnet20';
  if (payload.m !== undefined) {
    const parsed = modelField.parse(payload.m, ctx);
    if ('ignored' in parsed) notices.push(`model: ${parsed.ignored}; using the default model`);
    else model = parsed.value as string;
  }
  let state = defaultLinkState(model);
  for (const f of LINK_FIELDS.slice(1)) {
    if (!f.inLink) continue;
    const raw = payload[f.key];
    if (raw === undefined) continue;
    const parsed = f.parse(raw, ctx);
    if ('ignored' in parsed) {
      notices.push(`${f.label}: ${parsed.ignored}; using the default`);
      continue;
    }
    if (parsed.note) {
      const shown = ['p', 'a', 'b', 'h', 't'].includes(f.key)
        ? ''
        : `; using ${JSON.stringify(parsed.value)}`;
      notices.push(`${f.label}: ${parsed.note}${shown}`);
    }
    setPath(state, f.path, structuredClone(parsed.value));
  }
  const known = new Set(LINK_FIELDS.filter((f) => f.inLink).map((f) => f.key));
  const unknown = Object.keys(payload).filter((k) => !known.has(k));
  if (unknown.length > 0) notices.push(`unknown link field(s) ignored: ${unknown.slice(0, 8).join(', ')}`);
  // A link that holds a tour and nothing else that is simulated or viewed shows the tour's step.
  if (state.tour && opensTourStep(payload)) state = enterTourStep(state, state.tour, ctx) ?? state;
  return { state, notices };
}

/** Compressed bytes fed to the inflater at a time: deflate expands at most about 1,032-fold, so one feed
 * yields at most about 66 KB and a bomb is stopped after a few feeds instead of being inflated whole. */
const INFLATE_FEED_BYTES = 64;

/** Inflates `compressed`, or returns null as soon as the output exceeds `maxBytes`. Throws on bad data. */
function inflateBounded(compressed: Uint8Array, maxBytes: number): Uint8Array | null {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total <= maxBytes) chunks.push(chunk);
  });
  for (let at = 0; at < compressed.length; at += INFLATE_FEED_BYTES) {
    const end = Math.min(at + INFLATE_FEED_BYTES, compressed.length);
    inflater.push(compressed.subarray(at, end), end === compressed.length);
    if (total > maxBytes) return null;
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function readPayload(
  hash: string,
): { payload: Record<string, unknown>; version: number } | { error: string } {
  const versioned = /^(\d{1,4})\.(.*)$/s.exec(hash);
  if (versioned) {
    const version = Number(versioned[1]);
    let json: string;
    try {
      const compressed = fromBase64Url(versioned[2]);
      if (compressed.length === 0) return { error: 'the link is damaged (it holds no settings)' };
      const bytes = inflateBounded(compressed, MAX_JSON_BYTES);
      if (bytes === null) return { error: 'the link is too large' };
      json = strFromU8(bytes);
    } catch {
      return { error: 'the link is damaged (it could not be decompressed)' };
    }
    try {
      const payload: unknown = JSON.parse(json);
      if (!isPlainObject(payload)) return { error: 'the link does not hold settings' };
      return { payload, version };
    } catch {
      return { error: 'the link is damaged (its settings could not be read)' };
    }
  }
  let text = hash;
  try {
    text = decodeURIComponent(hash);
  } catch {
    // keep the raw text; JSON.parse below reports the problem
  }
  if (text.trimStart().startsWith('{')) {
    try {
      const payload: unknown = JSON.parse(text);
      if (isPlainObject(payload)) return { payload, version: 0 };
    } catch {
      // fall through
    }
    return { error: 'the link looks like an old plain-JSON link but could not be read' };
  }
  return { error: 'this is not an Effectual link' };
}

export function decodeLink(rawHash: string, ctx: ParseContext = defaultParseContext): DecodedLink {
  const hash = rawHash.startsWith('#') ? rawHash.slice(1) : rawHash;
  if (hash.length === 0) return { state: defaultLinkState(), notices: [], version: null };
  if (hash.length > MAX_HASH_LENGTH) {
    return {
      state: defaultLinkState(),
      notices: ['The link is too long; all settings are defaults.'],
      version: null,
    };
  }
  try {
    const read = readPayload(hash);
    if ('error' in read) {
      return {
        state: defaultLinkState(),
        notices: [`The link could not be used: ${read.error}; all settings are defaults.`],
        version: null,
      };
    }
    const notices: string[] = [];
    let payload = read.payload;
    if (read.version > LINK_VERSION) {
      notices.push(
        `The link comes from a newer version (${read.version}); settings this version knows were kept.`,
      );
    } else if (read.version < LINK_VERSION) {
      payload = migrate(payload, read.version);
    }
    const applied = fromPayload(payload, ctx);
    return { state: applied.state, notices: [...notices, ...applied.notices], version: read.version };
  } catch (err) {
    // Belt and braces: a decoder bug must not take the page down.
    return {
      state: defaultLinkState(),
      notices: [
        `The link could not be used (${err instanceof Error ? err.message : String(err)}); all settings are defaults.`,
      ],
      version: null,
    };
  }
}

/**
 * For the CLI's `--config HASH`: the SimConfig a link defines (view fields dropped), with the notices.
 * Framework-free like the rest of this module, so Node can import it.
 */
export function configFromLink(
  rawHash: string,
  ctx: ParseContext = defaultParseContext,
): { config: SimConfig; notices: string[] } {
  const decoded = decodeLink(rawHash, ctx);
  return { config: toSimConfig(decoded.state), notices: decoded.notices };
}
