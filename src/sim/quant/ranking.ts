/**
 * Rank selection with the spec's tie rule (quantization.md §0: ties by ascending flat index). Sorting a
 * typed copy of the keys and resolving only the boundary ties keeps this exact and fast on millions of
 * weights, without a comparator sort over indices.
 */
export function selectFirstRanked(
  keys: ArrayLike<number>,
  count: number,
  order: 'ascending' | 'descending',
): Uint8Array {
  const n = keys.length;
  const selected = new Uint8Array(n);
  const m = Math.max(0, Math.min(n, Math.floor(count)));
  if (m === 0) return selected;
  const sorted = Float64Array.from(keys).sort();
  const boundary = order === 'ascending' ? sorted[m - 1] : sorted[n - m];
  let taken = 0;
  for (let i = 0; i < n; i++) {
    const strictlyInside = order === 'ascending' ? keys[i] < boundary : keys[i] > boundary;
    if (strictlyInside) {
      selected[i] = 1;
      taken++;
    }
  }
  for (let i = 0; i < n && taken < m; i++) {
    if (keys[i] === boundary) {
      selected[i] = 1;
      taken++;
    }
  }
  return selected;
}

export function absValues(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]);
  return out;
}
