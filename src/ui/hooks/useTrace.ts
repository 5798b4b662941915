import { useMemo } from 'react';
import type { TileTrace } from '../../sim/accel/types';
import { useApp } from '../state/store';
import { getSimClient } from '../state/simClient';
import { traceStats, type TraceStats } from '../lib/traceStats';
import { useSelectedLayer } from './useLayer';
import { useReportIsCurrent, useSimConfig } from './useSimulation';
import { useWorkerQuery, type QueryResult } from './useWorkerQuery';

export const TRACE_MAX_CYCLES = 4096;

/** The tile trace of the PE-grid accelerator on the selected layer, with its per-cycle statistics. */
export function useTrace(): QueryResult<TileTrace> & { stats: TraceStats | null } {
  const { config, key } = useSimConfig();
  const current = useReportIsCurrent();
  const layer = useSelectedLayer();
  const model = useApp((s) => s.link.gridAccel);
  const tile = useApp((s) => s.link.tile);
  const queryKey = current && layer ? `${key}|${layer.name}|${model}|${tile.filter}|${tile.window}` : null;
  const result = useWorkerQuery(queryKey, () =>
    getSimClient().trace(config, layer!.name, model, {
      filterBlock: tile.filter,
      windowBlock: tile.window,
      maxCycles: TRACE_MAX_CYCLES,
    }),
  );
  const stats = useMemo(() => (result.data ? traceStats(result.data) : null), [result.data]);
  return { ...result, stats };
}
