import { absValues, selectFirstRanked } from './ranking';
import { stdDev } from './stats';

export interface PruneResult {
  weights: Float32Array;
  /** Zeros after pruning, including weights that were zero already (they count as pruned, §9). */
  zeros: number;
}

function applyMask(w: ArrayLike<number>, pruned: Uint8Array, offset = 0): PruneResult {
  const weights = new Float32Array(w.length);
  let zeros = 0;
  for (let i = 0; i < w.length; i++) {
    const v = pruned[offset + i] ? 0 : w[i];
    weights[i] = v;
    if (v === 0) zeros++;
  }
  return { weights, zeros };
}

/** quantization.md §9 perLayer: zero the floor(p·n) smallest |w| (ties by index). */
export function prunePerLayer(w: ArrayLike<number>, fraction: number): PruneResult {
  checkFraction(fraction);
  return applyMask(w, selectFirstRanked(absValues(w), Math.floor(fraction * w.length), 'ascending'));
}

/**
 * §9 global: one ranking over all given layers (|w|, then layer order, then index). Raw magnitudes differ
 * between layers, so this can empty layers with small weights — the UI warns about it.
 */
export function pruneGlobal(layers: ArrayLike<number>[], fraction: number): PruneResult[] {
  checkFraction(fraction);
  const total = layers.reduce((s, w) => s + w.length, 0);
  const keys = new Float64Array(total);
  let offset = 0;
  for (const w of layers) {
    for (let i = 0; i < w.length; i++) keys[offset + i] = Math.abs(w[i]);
    offset += w.length;
  }
  const pruned = selectFirstRanked(keys, Math.floor(fraction * total), 'ascending');
  offset = 0;
  return layers.map((w) => {
    const r = applyMask(w, pruned, offset);
    offset += w.length;
    return r;
  });
}

/** §9 stdThreshold: zero |w| < q·σ, σ the population standard deviation of the layer's weights. */
export function pruneStdThreshold(w: ArrayLike<number>, q: number): PruneResult & { threshold: number } {
  const threshold = q * stdDev(w);
  const pruned = new Uint8Array(w.length);
  for (let i = 0; i < w.length; i++) if (Math.abs(w[i]) < threshold) pruned[i] = 1;
  return { ...applyMask(w, pruned), threshold };
}

function checkFraction(fraction: number): void {
  if (!(fraction >= 0 && fraction <= 1))
    throw new Error(`pruning fraction must be in [0, 1], got ${fraction}`);
}
