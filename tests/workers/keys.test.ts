import { describe, expect, it } from 'vitest';
import { Lru, prepareKey, reportKey, stableStringify } from '../../src/workers/keys';
import { defaultConfig } from '../../src/sim/config';

describe('worker cache keys', () => {
  it('ignore key order', () => {
    expect(stableStringify({ b: 1, a: { y: [1, { q: 2, p: 3 }], x: null } })).toBe(
      stableStringify({ a: { x: null, y: [1, { p: 3, q: 2 }] }, b: 1 }),
    );
    expect(stableStringify({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it('prepare key ignores accelerators and their parameters but not quantisation', () => {
    const a = defaultConfig();
    const b = { ...defaultConfig(), accels: ['dadn' as const], params: { 'laconic.rows': 8 } };
    expect(prepareKey(a)).toBe(prepareKey(b));
    expect(reportKey(a)).not.toBe(reportKey(b));
    const c = defaultConfig();
    c.quant.weights.bits = 8;
    expect(prepareKey(a)).not.toBe(prepareKey(c));
  });

  it('custom models loaded one after another get different keys', () => {
    const config = defaultConfig('custom');
    expect(prepareKey(config, 1)).not.toBe(prepareKey(config, 2));
    expect(prepareKey(defaultConfig(), 1)).toBe(prepareKey(defaultConfig(), 2));
  });

  it('LRU evicts the least recently used entry', () => {
    const lru = new Lru<number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    expect(lru.size).toBe(2);
  });
});
