/**
 * Cycle-by-cycle SCNN: every PE works through its I × F groups; a loaded group puts each valid product into
 * the queue of its accumulator bank, and each cycle every bank retires one product (a group without valid
 * products still occupies its cycle). All PEs wait for the slowest before the next input channel; after each
 * output-channel group the halo exchange takes its cycles.
 */
import type { AccelLayerInput, Params } from '../../../../src/sim/accel/types';
import { scnnWork } from './scnn';

interface PEState {
  pending: number[][];
  /** Products waiting per bank for the group in flight; null = no group loaded. */
  bankQueues: Map<number, number> | null;
}

export function naiveScnnCycles(input: AccelLayerInput, params: Params): number {
  const work = scnnWork(input, params);
  let clock = 0;
  let channel = 0;
  for (let g = 0; g < work.halos.length; g++) {
    const kc = work.channels[channel]?.kc;
    while (channel < work.channels.length && work.channels[channel].kc === kc) {
      const pes: PEState[] = work.channels[channel].groups.map((groups) => ({
        pending: groups.map((x) => [...x]),
        bankQueues: null,
      }));
      const idle = (pe: PEState) => pe.bankQueues === null && pe.pending.length === 0;
      while (!pes.every(idle)) {
        for (const pe of pes) {
          if (pe.bankQueues === null) {
            if (pe.pending.length === 0) continue;
            pe.bankQueues = new Map();
            for (const bank of pe.pending.shift()!)
              pe.bankQueues.set(bank, (pe.bankQueues.get(bank) ?? 0) + 1);
          }
          for (const [bank, n] of pe.bankQueues) pe.bankQueues.set(bank, n - 1);
          if ([...pe.bankQueues.values()].every((n) => n <= 0)) pe.bankQueues = null;
        }
        clock++;
      }
      channel++;
    }
    for (let t = 0; t < work.halos[g]; t++) clock++;
  }
  return clock;
}
