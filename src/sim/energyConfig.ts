import { DEFAULT_ENERGY_CONSTANTS, type EnergyConstantKey, type EnergyConstants } from './energy/constants';

/** Largest value a constant may be set to (pJ, KB or bits): far above any physical figure, below overflow. */
export const ENERGY_CONSTANT_MAX = 1e9;

export function isEnergyConstantKey(key: string): key is EnergyConstantKey {
  return Object.prototype.hasOwnProperty.call(DEFAULT_ENERGY_CONSTANTS, key);
}

/**
 * Checks SimConfig.energy as read from JSON or a link: known constant names, finite numbers, clamped to
 * [0, ENERGY_CONSTANT_MAX]. Returns what is usable and one line per problem (callers decide whether a problem
 * is an error, as in the CLI, or a notice, as in links).
 */
export function checkEnergyOverrides(raw: unknown): { value: Partial<EnergyConstants>; problems: string[] } {
  const value: Partial<EnergyConstants> = {};
  const problems: string[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { value, problems: ['energy constants must be an object of name: number'] };
  for (const [key, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!isEnergyConstantKey(key)) {
      problems.push(`'${key.slice(0, 40)}' is not an energy constant`);
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      problems.push(`${key}: ${JSON.stringify(v)?.slice(0, 40)} is not a number`);
      continue;
    }
    const clamped = Math.min(Math.max(v, 0), ENERGY_CONSTANT_MAX);
    if (clamped !== v) problems.push(`${key}: ${v} is outside 0..${ENERGY_CONSTANT_MAX}; using ${clamped}`);
    value[key] = clamped;
  }
  return { value, problems };
}
