import validation from '../../fixtures/validation.json';

interface Target {
  id: string;
  inputs: Record<string, unknown>;
  expected: Record<string, unknown>;
}

/** A validation.json target by id (tests read their numbers from the fixture, never by hand). */
export function target<I, E>(id: string): { inputs: I; expected: E } {
  const t = (validation as unknown as { targets: Target[] }).targets.find((x) => x.id === id);
  if (!t) throw new Error(`validation target ${id} missing`);
  return t as unknown as { inputs: I; expected: E };
}
