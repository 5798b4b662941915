import type { Granularity } from './types';

/** Per tensor: `{ name: s }`; per filter: `{ names: [s0, s1, …] }`. */
export function scaleMeta(
  name: string,
  perGroup: number[],
  granularity: Granularity,
): Record<string, number | number[]> {
  return granularity === 'filter' ? { [`${name}s`]: perGroup } : { [name]: perGroup[0] };
}
