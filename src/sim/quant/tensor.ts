/** Shape helpers shared by the quantisers. Per-channel always means per output filter (axis 0). */

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

export function filterCount(shape: readonly number[]): number {
  return shape.length === 0 ? 1 : shape[0];
}

/** Throws early so that a shape/data mismatch cannot silently misalign filters. */
export function checkShape(x: ArrayLike<number>, shape: readonly number[]): void {
  if (elementCount(shape) !== x.length) {
    throw new Error(`shape [${shape.join(',')}] does not match ${x.length} elements`);
  }
}

/** [start, end) flat ranges of each group: one per filter, or a single one for the whole tensor. */
export function groupRanges(shape: readonly number[], perFilter: boolean): Array<[number, number]> {
  const n = elementCount(shape);
  if (!perFilter) return [[0, n]];
  const groups = filterCount(shape);
  const size = groups === 0 ? 0 : n / groups;
  const out: Array<[number, number]> = [];
  for (let g = 0; g < groups; g++) out.push([g * size, (g + 1) * size]);
  return out;
}
