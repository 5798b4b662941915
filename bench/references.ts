/**
 * Finds the straightforward reference implementations kept with the tests (tests/sim/accel/reference/*.ts):
 * every exported `<modelId>ReferenceCycles(input: AccelLayerInput, params: Params) => number`. They are
 * discovered by name so that references added later are benchmarked without editing this file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AccelLayerInput, ModelId, Params } from '../src/sim/accel/types';
import { MODEL_IDS } from '../src/sim/accel/types';

export type ReferenceCycles = (input: AccelLayerInput, params: Params) => number;

export const REFERENCE_DIR = resolve(import.meta.dirname, '../tests/sim/accel/reference');

export interface ReferenceSet {
  found: Partial<Record<ModelId, { fn: ReferenceCycles; file: string }>>;
  missing: ModelId[];
  /** Files that declare a reference but could not be loaded, with the error. */
  errors: string[];
}

export async function loadReferences(dir = REFERENCE_DIR): Promise<ReferenceSet> {
  const found: ReferenceSet['found'] = {};
  const errors: string[] = [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const file of files.sort()) {
    const text = readFileSync(join(dir, file), 'utf8');
    // Only files that define a reference are imported: others may import vitest, which only loads under vitest.
    const declared = [...text.matchAll(/export\s+function\s+(\w+)ReferenceCycles\s*\(/g)].map((m) => m[1]);
    const ids = declared.filter((id): id is ModelId => (MODEL_IDS as readonly string[]).includes(id));
    if (ids.length === 0) continue;
    try {
      const mod = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
      for (const id of ids) {
        const fn = mod[`${id}ReferenceCycles`];
        if (typeof fn === 'function') found[id] = { fn: fn as ReferenceCycles, file };
      }
    } catch (error) {
      errors.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { found, missing: MODEL_IDS.filter((id) => !found[id]), errors };
}
