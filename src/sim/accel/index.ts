import { bitfusion } from './bitfusion';
import { cnvlutin } from './cnvlutin';
import { dadn } from './dadn';
import { dlac } from './dlac';
import { dstripes } from './dstripes';
import { eie } from './eie';
import { laconic } from './laconic';
import { loom } from './loom';
import { pragmatic } from './pragmatic';
import { scnn } from './scnn';
import { stripes } from './stripes';
import type { AcceleratorModel, ModelId, ParamValue, Params } from './types';
import { MODEL_IDS } from './types';

export const ACCELERATORS: Record<ModelId, AcceleratorModel> = {
  dadn,
  stripes,
  dstripes,
  pragmatic,
  laconic,
  loom,
  cnvlutin,
  scnn,
  bitfusion,
  eie,
  dlac,
};

export function isModelId(x: string): x is ModelId {
  return (MODEL_IDS as readonly string[]).includes(x);
}

/** The parameters of one model from the configuration's flat "id.name" record. */
export function paramsFor(id: ModelId, all: Record<string, ParamValue>): Params {
  const out: Params = {};
  const prefix = `${id}.`;
  for (const [key, value] of Object.entries(all)) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
  return out;
}

/**
 * Checks one "id.name=value" setting against the model's declared parameters and returns the typed value;
 * throws an Error that names the problem (unknown model, unknown parameter with the valid names, bad value).
 */
export function parseParam(key: string, raw: string | ParamValue): { key: string; value: ParamValue } {
  const dot = key.indexOf('.');
  const id = dot > 0 ? key.slice(0, dot) : '';
  const name = dot > 0 ? key.slice(dot + 1) : '';
  if (!isModelId(id)) throw new Error(`unknown accelerator '${id || key}' in parameter '${key}' (expected one of ${MODEL_IDS.join(', ')})`);
  const spec = ACCELERATORS[id].params.find((p) => p.name === name);
  if (!spec)
    throw new Error(
      `unknown parameter '${name}' for ${id} (valid: ${ACCELERATORS[id].params.map((p) => p.name).join(', ')})`,
    );
  const text = String(raw);
  let value: ParamValue;
  if (spec.type === 'boolean') {
    if (text !== 'true' && text !== 'false') throw new Error(`${key} must be true or false, got '${text}'`);
    value = text === 'true';
  } else if (spec.type === 'enum') {
    if (!spec.options?.includes(text)) throw new Error(`${key} must be one of ${spec.options?.join(', ')}, got '${text}'`);
    value = text;
  } else {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`${key} must be a number, got '${text}'`);
    if (spec.type === 'int' && !Number.isInteger(n)) throw new Error(`${key} must be an integer, got '${text}'`);
    if (spec.min !== undefined && n < spec.min) throw new Error(`${key} must be >= ${spec.min}, got ${n}`);
    if (spec.max !== undefined && n > spec.max) throw new Error(`${key} must be <= ${spec.max}, got ${n}`);
    value = n;
  }
  return { key: `${id}.${name}`, value };
}

export { MODEL_IDS };
export type { AcceleratorModel, ModelId, LayerResult, ParamSpec, Params, ParamValue, TileTrace, TraceRequest } from './types';
export { simulateLayer, withDefaults, layerInput } from './run';
