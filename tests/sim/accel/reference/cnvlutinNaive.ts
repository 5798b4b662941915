/**
 * Cycle-by-cycle Cnvlutin: for every filter set and window, 16 subunits each walk their zero-free fragment
 * stream: a cycle multiplies one non-zero activation (broadcast to the subunit's 16 filters), or is one of
 * the emptyFragmentCycles an all-zero fragment costs; the window ends when the last subunit finishes.
 */
import type { AccelLayerInput, Params } from '../../../../src/sim/accel/types';
import { cnvRefConfig, subunitSequence } from './cnvlutin';
import { paddedView } from './padded';

interface Subunit {
  /** Remaining fragments: each is the list of its non-zero positions. */
  fragments: number[][];
  /** Work left in the current fragment: non-zeros to multiply, or empty-fragment cycles. */
  pendingNonZeros: number[];
  pendingEmpty: number;
}

export function naiveCnvlutinCycles(input: AccelLayerInput, params: Params): number {
  const cfg = cnvRefConfig(params);
  const v = paddedView(input);
  let clock = 0;
  for (let set = 0; set < Math.ceil(v.K / 256); set++)
    for (let n = 0; n < v.Oh * v.Ow; n++) {
      const units: Subunit[] = [];
      for (let u = 0; u < 16; u++) {
        const seq = subunitSequence(v, cfg, n, u);
        const fragments: number[][] = [];
        for (let f = 0; f < seq.length; f += cfg.F) {
          const nz: number[] = [];
          for (let e = f; e < Math.min(f + cfg.F, seq.length); e++) if (seq[e]) nz.push(e);
          fragments.push(nz);
        }
        units.push({ fragments, pendingNonZeros: [], pendingEmpty: 0 });
      }
      // Loads the next fragment whenever the current one is done; an empty fragment with 0 cycles is free.
      const refill = (s: Subunit) => {
        while (s.pendingNonZeros.length === 0 && s.pendingEmpty === 0 && s.fragments.length > 0) {
          const frag = s.fragments.shift()!;
          if (frag.length > 0) s.pendingNonZeros = frag;
          else s.pendingEmpty = cfg.E;
        }
      };
      const done = (s: Subunit) =>
        s.pendingNonZeros.length === 0 && s.pendingEmpty === 0 && s.fragments.length === 0;
      units.forEach(refill);
      while (!units.every(done)) {
        for (const s of units) {
          if (s.pendingNonZeros.length > 0) s.pendingNonZeros.shift();
          else if (s.pendingEmpty > 0) s.pendingEmpty--;
          refill(s);
        }
        clock++;
      }
    }
  return clock;
}
