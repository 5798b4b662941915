import { useEffect } from 'react';
import type { LayerReport } from '../../sim/report';
import { useApp } from '../state/store';

/** The selected layer of the current report: the link's layer, or the first one. */
export function useSelectedLayer(): LayerReport | null {
  const report = useApp((s) => s.report);
  const name = useApp((s) => s.link.layer);
  if (!report || report.layers.length === 0) return null;
  return report.layers.find((l) => l.name === name) ?? report.layers[0];
}

/** Tells the user once when a link names a layer the model does not have. */
export function useUnknownLayerNotice(): void {
  const report = useApp((s) => s.report);
  useEffect(() => {
    if (!report) return;
    const { link, update, addNotices } = useApp.getState();
    if (link.layer === '' || report.layers.some((l) => l.name === link.layer)) return;
    addNotices([
      `layer: "${link.layer.slice(0, 60)}" is not in ${report.model.name}; showing ${report.layers[0]?.name ?? 'the first layer'}`,
    ]);
    update((d) => {
      d.layer = '';
    });
  }, [report]);
}
