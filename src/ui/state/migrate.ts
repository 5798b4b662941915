import { LINK_FIELDS, LINK_VERSION } from './schema';
import { getPath } from './linkState';

/**
 * Older link payloads, upgraded one version at a time to the current keyed form.
 * v0 (before compression): the hash was plain JSON with long names, e.g.
 * `#{"model":"fmnist-resnet20","quant":{"weights":{"scheme":"twn"}},"layer":"conv1"}`.
 */
type Migration = (payload: Record<string, unknown>) => Record<string, unknown>;

const MIGRATIONS: Record<number, Migration> = {
  0: (v0) => {
    const v1: Record<string, unknown> = {};
    for (const f of LINK_FIELDS) {
      const value = getPath(v0, f.path);
      if (value !== undefined) v1[f.key] = value;
    }
    return v1;
  },
};

export function migrate(payload: Record<string, unknown>, fromVersion: number): Record<string, unknown> {
  let out = payload;
  for (let v = fromVersion; v < LINK_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new Error(`no migration from link version ${v}`);
    out = step(out);
  }
  return out;
}
