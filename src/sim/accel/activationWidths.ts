/**
 * The activation side of Dynamic Stripes and Loom (accelerators.md §5, §8), computed once per layer and
 * shared by both: the bit spans of every activation brick of the prepared layer, and Σ over the MACs of one
 * filter of the activation's own width (original geometry, both width rules) for the effectual work.
 */
import { needsSpaceToDepth } from './grid';
import { preparedMap, type PreparedMap } from './gridParams';
import { layerCached } from './layerCache';
import type { AccelLayerInput } from './types';
import { hiOrMinus1, loOrZeroLo, ZERO_LO, type BrickSpans } from './widths';

export interface ActivationWidths {
  spans: BrickSpans;
  /** Σ_MACs per filter of valueWidth(a, true) and of valueWidth(a, false). */
  coveredLeading: number;
  coveredBoth: number;
}

export function activationWidths(
  input: AccelLayerInput,
  spaceToDepth: boolean,
  lanes: number,
): ActivationWidths {
  const transformed = needsSpaceToDepth(input, spaceToDepth);
  const key = `widths:${transformed}:${lanes}:${JSON.stringify(input.geometry)}`;
  return layerCached(input.act, key, () => measureWidths(input, preparedMap(input, spaceToDepth), lanes));
}

/**
 * One pass over the unpadded input: each activation's hi / lo fold into the spans of its prepared brick
 * (through `preparedMap`), and its widths (hi + 1, and hi − lo + 1 but 0 for a zero) are weighted by how
 * many (window, kernel offset) pairs of the original layer read it. Integer sums, exact.
 */
function measureWidths(input: AccelLayerInput, map: PreparedMap, lanes: number): ActivationWidths {
  const { C, H, W, pad, Kh, Kw, stride } = input.geometry;
  const Nh = H + 2 * pad;
  const Nw = W + 2 * pad;
  const Oh = Math.floor((Nh - Kh) / stride) + 1;
  const Ow = Math.floor((Nw - Kw) / stride) + 1;
  const rowUses = new Int32Array(Nh);
  const colUses = new Int32Array(Nw);
  for (let o = 0; o < Oh; o++) for (let i = 0; i < Kh; i++) rowUses[stride * o + i]++;
  for (let o = 0; o < Ow; o++) for (let j = 0; j < Kw; j++) colUses[stride * o + j]++;
  const { p, s, colPos, colChannel } = map;
  const positions = p.Nh * p.Nw;
  const cgs = Math.ceil(p.C / lanes);
  const maxHi = new Uint8Array(cgs * positions);
  const minLo = new Uint8Array(cgs * positions).fill(ZERO_LO);
  // Brick of prepared channel c2 at position x: Math.floor(c2 / lanes) · positions + x.
  const brickOf = new Int32Array(p.C);
  for (let c2 = 0; c2 < p.C; c2++) brickOf[c2] = Math.floor(c2 / lanes) * positions;
  const act = input.act;
  let coveredLeading = 0;
  let coveredBoth = 0;
  for (let c = 0; c < C; c++)
    for (let h = 0; h < H; h++) {
      const src = (c * H + h) * W;
      const row = Math.floor((h + pad) / s) * p.Nw;
      const channel = ((h + pad) % s) * C + c;
      let leading = 0;
      let both = 0;
      for (let w = 0; w < W; w++) {
        const v = act[src + w];
        const hi = hiOrMinus1(v);
        const lo = loOrZeroLo(v);
        const at = brickOf[channel + colChannel[w + pad]] + row + colPos[w + pad];
        maxHi[at] = Math.max(maxHi[at], hi);
        minLo[at] = Math.min(minLo[at], lo);
        const uses = colUses[w + pad];
        leading += (hi + 1) * uses;
        both += Math.max(0, hi - lo + 1) * uses;
      }
      coveredLeading += rowUses[h + pad] * leading;
      coveredBoth += rowUses[h + pad] * both;
    }
  return { spans: { cgs, positions, maxHi, minLo }, coveredLeading, coveredBoth };
}
