/** Reductions over a flat range, in float64 and index order so that results are reproducible. */

export function maxAbs(x: ArrayLike<number>, start = 0, end = x.length): number {
  let m = 0;
  for (let i = start; i < end; i++) {
    const a = Math.abs(x[i]);
    if (a > m) m = a;
  }
  return m;
}

export function meanAbs(x: ArrayLike<number>, start = 0, end = x.length): number {
  if (end <= start) return 0;
  let s = 0;
  for (let i = start; i < end; i++) s += Math.abs(x[i]);
  return s / (end - start);
}

/** Population standard deviation (divides by n). */
export function stdDev(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - mean) ** 2;
  return Math.sqrt(v / n);
}

/**
 * Nearest-rank percentile of |x| (q in (0, 100]): the smallest |x| with at least q % of the values at or
 * below it. Used to ignore activation outliers when profiling a range (§3).
 */
export function percentileAbs(x: ArrayLike<number>, q: number): number {
  const n = x.length;
  if (n === 0) return 0;
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.abs(x[i]);
  a.sort();
  const rank = Math.min(n, Math.max(1, Math.ceil((q / 100) * n)));
  return a[rank - 1];
}
