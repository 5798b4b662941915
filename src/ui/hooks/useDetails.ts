import type { LayerDetails } from '../../sim/pipeline';
import { getSimClient } from '../state/simClient';
import { useSelectedLayer } from './useLayer';
import { useReportIsCurrent, useSimConfig } from './useSimulation';
import { useWorkerQuery, type QueryResult } from './useWorkerQuery';

/** Histograms and term statistics of the selected layer. */
export function useDetails(): QueryResult<LayerDetails> {
  const { config, key } = useSimConfig();
  const current = useReportIsCurrent();
  const layer = useSelectedLayer();
  const queryKey = current && layer ? `${key}|${layer.name}` : null;
  return useWorkerQuery(queryKey, () => getSimClient().details(config, layer!.name));
}
