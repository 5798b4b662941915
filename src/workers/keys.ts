import type { SimConfig } from '../sim/config';

/** JSON with object keys sorted, so equal configurations give equal cache keys whatever their key order. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`;
}

/**
 * What a PreparedNetwork depends on (inference + quantisation, not the accelerators). `customId` tells
 * apart successive custom models loaded under the same name 'custom'.
 */
export function prepareKey(config: SimConfig, customId = 0): string {
  const { model, images, imageOffset, seed, quant } = config;
  return stableStringify({
    model,
    images,
    imageOffset,
    seed,
    quant,
    custom: model === 'custom' ? customId : 0,
  });
}

export function reportKey(config: SimConfig, customId = 0): string {
  return stableStringify({ config, custom: config.model === 'custom' ? customId : 0 });
}

/** Small least-recently-used map. */
export class Lru<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const v = this.entries.get(key);
    if (v !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, v);
    }
    return v;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
