/**
 * Cycle-by-cycle DLAC grid (accelerators.md §13): every PE holds, per output buffer, the queue of effectual
 * (weight, activation) pairs of the current chunk; each cycle each PE's U units take one pair from U distinct
 * buffers (the fullest ones); the grid moves to the next chunk when every PE has drained its queues, after
 * at least one cycle unless skipEmptyChunks and no PE had work.
 */
import type { AccelLayerInput, Params } from '../../../../src/sim/accel/types';
import { dlacRefConfig, effectualPairs, tileBuffers, tileCounts } from './dlac';
import { paddedView } from './padded';

interface PE {
  queues: number[][];
}

export function naiveDlacCycles(input: AccelLayerInput, params: Params): number {
  const cfg = dlacRefConfig(params);
  const v = paddedView(input);
  const D = v.Kh * v.Kw * v.C;
  const { filterBlocks, windowBlocks } = tileCounts(v, cfg);
  let clock = 0;
  for (let fb = 0; fb < filterBlocks; fb++)
    for (let wb = 0; wb < windowBlocks; wb++) {
      const bufs = tileBuffers(v, cfg, fb, wb);
      for (let q = 0; q < D; q += cfg.L) {
        const Lq = Math.min(cfg.L, D - q);
        const pes: PE[] = [];
        for (let r = 0; r < cfg.R; r++)
          for (let c = 0; c < cfg.Cg; c++)
            pes.push({
              queues: bufs[r][c].filter((b) => b !== null).map((b) => effectualPairs(v, b![0], b![1], q, Lq)),
            });
        const busy = () => pes.some((pe) => pe.queues.some((queue) => queue.length > 0));
        if (!busy()) {
          if (!cfg.skipEmptyChunks) clock++;
          continue;
        }
        while (busy()) {
          for (const pe of pes) {
            const order = pe.queues
              .map((queue, b) => [queue.length, b])
              .sort((x, y) => y[0] - x[0] || x[1] - y[1]);
            for (let unit = 0; unit < cfg.U && unit < order.length; unit++) {
              const queue = pe.queues[order[unit][1]];
              if (queue.length > 0) queue.shift();
            }
          }
          clock++;
        }
      }
    }
  return clock;
}
