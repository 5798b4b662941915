/** Reads public targets from tests/fixtures/validation.json (never copied by hand into tests). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Target {
  id: string;
  inputs: Record<string, unknown>;
  expected: Record<string, unknown>;
  tolerance: { type: string; value?: number };
}

const file = fileURLToPath(new URL('../../../fixtures/validation.json', import.meta.url));
const targets: Target[] = JSON.parse(readFileSync(file, 'utf8')).targets;

export function target(id: string): Target {
  const t = targets.find((x) => x.id === id);
  if (!t) throw new Error(`validation target ${id} missing`);
  return t;
}
