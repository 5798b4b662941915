import { cdiv, type LayerGeometry } from '../types';

/**
 * Elements of the largest array the simulators build for a conv layer: its zero-padded input and, for a
 * strided layer, the space-to-depth form (accelerators.md §1.4: C·s² channels over ⌈N/s⌉ positions, weights
 * K·C·s²·⌈Kh/s⌉·⌈Kw/s⌉). Loaders cap it so that absurd padding or strides fail while loading, with a
 * message, instead of as an allocation failure deep inside a simulation. FC layers need nothing extra.
 */
export function convFootprint(g: LayerGeometry): number {
  if (g.kind !== 'conv') return 0;
  const nh = g.H + 2 * g.pad;
  const nw = g.W + 2 * g.pad;
  const s = g.stride;
  const padded = g.C * nh * nw;
  if (s === 1) return padded;
  const strided = g.C * s * s * cdiv(nh, s) * cdiv(nw, s);
  const weights = g.K * g.C * s * s * cdiv(g.Kh, s) * cdiv(g.Kw, s);
  return Math.max(padded, strided, weights);
}
