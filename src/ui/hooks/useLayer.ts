import { useEffect } from 'react';
import type { LayerReport, SimReport } from '../../sim/report';
import { useApp } from '../state/store';

/** The selected layer of the current report: the link's layer, or the first one. */
export function useSelectedLayer(): LayerReport | null {
  const report = useApp((s) => s.report);
  const name = useApp((s) => s.link.layer);
  if (!report || report.layers.length === 0) return null;
  return report.layers.find((l) => l.name === name) ?? report.layers[0];
}

/**
 * Tells the user once when a link names a layer the model does not have. It watches the store directly:
 * called from App, a React subscription to the report would re-render the whole page for every report.
 */
export function useUnknownLayerNotice(): void {
  useEffect(() => {
    const check = (report: SimReport | null) => {
      if (!report) return;
      const { link, update, addNotices } = useApp.getState();
      if (link.layer === '' || report.layers.some((l) => l.name === link.layer)) return;
      addNotices([
        `layer: "${link.layer.slice(0, 60)}" is not in ${report.model.name}; showing ${report.layers[0]?.name ?? 'the first layer'}`,
      ]);
      update((d) => {
        d.layer = '';
      });
    };
    check(useApp.getState().report);
    return useApp.subscribe((s, prev) => {
      if (s.report !== prev.report) check(s.report);
    });
  }, []);
}
