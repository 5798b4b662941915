/**
 * Round half away from zero like C `round` (quantization.md §0). `a - f` is exact in binary floating point,
 * unlike `Math.floor(a + 0.5)`, and Math.round would send −2.5 to −2 where the reference gives −3.
 */
export function rha(x: number): number {
  const a = Math.abs(x);
  const f = Math.floor(a);
  const r = a - f >= 0.5 ? f + 1 : f;
  // `0 - r` would be −0 for r = 0; the spec forbids −0 codes.
  return x < 0 && r !== 0 ? -r : r;
}

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}
