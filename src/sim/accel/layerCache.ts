/**
 * Per-layer data derived from a layer's tensors and shared by several models (the pipeline runs every
 * model on the same LayerWork), keyed by the source typed array. Only small derived arrays are cached, and
 * they live as long as the tensor does. Contract: a layer's activation and weight arrays are never modified
 * once they have been simulated, and consumers never modify what they get from here.
 */
const store = new WeakMap<object, Map<string, unknown>>();

export function layerCached<T>(source: object, key: string, make: () => T): T {
  let entries = store.get(source);
  if (!entries) {
    entries = new Map();
    store.set(source, entries);
  }
  if (entries.has(key)) return entries.get(key) as T;
  const value = make();
  entries.set(key, value);
  return value;
}
