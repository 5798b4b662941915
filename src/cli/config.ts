import { defaultConfig, type SimConfig } from '../sim/config';
import { isModelId, parseParam } from '../sim/accel';
import { decodeLink } from '../ui/state/hash';
import { toSimConfig } from '../ui/state/linkState';
import { checkEnergyOverrides } from '../sim/energyConfig';

/** Overlays `user` on `base`, refusing unknown fields and values of the wrong type (naming the field). */
function overlay(base: unknown, user: unknown, path: string): unknown {
  if (user === undefined) return base;
  if (base !== null && typeof base === 'object' && !Array.isArray(base)) {
    if (user === null || typeof user !== 'object' || Array.isArray(user))
      throw new Error(`config field '${path}' must be an object`);
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(user as Record<string, unknown>)) {
      const sub = path ? `${path}.${k}` : k;
      if (!(k in out)) throw new Error(`unknown config field '${sub}'`);
      out[k] = overlay(out[k], v, sub);
    }
    return out;
  }
  if (Array.isArray(base)) {
    if (!Array.isArray(user)) throw new Error(`config field '${path}' must be an array`);
    return user;
  }
  if (typeof user !== typeof base)
    throw new Error(`config field '${path}' must be a ${typeof base}, got ${JSON.stringify(user)}`);
  return user;
}

/** A configuration given as JSON (the CLI's --config FILE.json): the same settings as SimConfig, any subset. */
export function configFromJson(json: unknown): SimConfig {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new Error('config JSON must be an object');
  const obj = json as Record<string, unknown>;
  if (obj.model !== undefined && typeof obj.model !== 'string')
    throw new Error(`config field 'model' must be a string, got ${JSON.stringify(obj.model)}`);
  const model = typeof obj.model === 'string' ? obj.model : 'fmnist-resnet20';
  const { params, accels, energy, ...rest } = obj;
  const config = overlay(defaultConfig(model), { ...rest, model }, '') as SimConfig;
  if (config.version !== 1)
    throw new Error(`unsupported config version ${String(config.version)} (expected 1)`);
  if (accels !== undefined) {
    if (!Array.isArray(accels) || !accels.every((a) => typeof a === 'string' && isModelId(a)))
      throw new Error(`config field 'accels' must list accelerator ids, got ${JSON.stringify(accels)}`);
    config.accels = accels as SimConfig['accels'];
  }
  if (params !== undefined) {
    if (params === null || typeof params !== 'object' || Array.isArray(params))
      throw new Error("config field 'params' must be an object");
    config.params = {};
    for (const [k, v] of Object.entries(params)) {
      const parsed = parseParam(k, v as string);
      config.params[parsed.key] = parsed.value;
    }
  }
  if (energy !== undefined) {
    const checked = checkEnergyOverrides(energy);
    if (checked.problems.length > 0) throw new Error(`config field 'energy': ${checked.problems.join('; ')}`);
    if (Object.keys(checked.value).length > 0) config.energy = checked.value;
  }
  return config;
}

/** A configuration given as the app's link hash (with or without the leading '#'). Ignored fields are warned about. */
export function configFromHash(hash: string): SimConfig {
  const decoded = decodeLink(hash.replace(/^#/, ''));
  if (decoded.version === null)
    throw new Error(`--config: '${hash.slice(0, 40)}' is neither a file nor a link hash`);
  for (const n of decoded.notices) process.stderr.write(`effectual: warning: link: ${n}\n`);
  return toSimConfig(decoded.state);
}
