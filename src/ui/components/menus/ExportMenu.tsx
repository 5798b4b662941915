import { useState } from 'react';
import { useApp } from '../../state/store';
import { VIEW_LABELS } from '../ViewTabs';
import { modelLabel } from '../controls/ModelControls';
import { snapshotElement } from '../../export/snapshot';
import { downloadBlob, fileStem, reportCsv, reportJson, svgToPng } from '../../export/files';
import { errorMessage } from '../../hooks/useSimulation';
import { Menu, type MenuItem } from './Menu';

function viewSnapshot() {
  const panel = document.getElementById('view-panel');
  if (!panel) throw new Error('no view on screen');
  const { link, report, customModel } = useApp.getState();
  const layer = link.layer || report?.layers[0]?.name || '';
  const title = ['Effectual', VIEW_LABELS[link.view], modelLabel(link.model, customModel?.fileName), layer]
    .filter(Boolean)
    .join(' · ');
  return snapshotElement(panel, title);
}

/**
 * Exports: the per-layer CSV and the report JSON exactly as the CLI writes them, and the current view as SVG
 * or PNG (its charts, canvases and text as on screen).
 */
export function ExportMenu({ buttonClass }: { buttonClass: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  const guard = (run: () => void | Promise<void>) => () => {
    setProblem(null);
    Promise.resolve()
      .then(run)
      .catch((err: unknown) => setProblem(`Export failed: ${errorMessage(err)}`));
  };
  const items = (): MenuItem[] => {
    const { report, link } = useApp.getState();
    const stem = fileStem('effectual', link.model);
    const viewStem = fileStem('effectual', link.model, link.view);
    return [
      {
        id: 'csv',
        section: 'Per-layer results (as the CLI)',
        label: 'CSV (--format csv)',
        disabled: !report,
        onSelect: guard(() =>
          downloadBlob(new Blob([reportCsv(report!)], { type: 'text/csv' }), `${stem}.csv`),
        ),
      },
      {
        id: 'json',
        label: 'JSON (--format json)',
        disabled: !report,
        onSelect: guard(() =>
          downloadBlob(new Blob([reportJson(report!)], { type: 'application/json' }), `${stem}.json`),
        ),
      },
      {
        id: 'svg',
        section: `This view (${VIEW_LABELS[link.view]})`,
        label: 'SVG',
        onSelect: guard(() => {
          const shot = viewSnapshot();
          downloadBlob(new Blob([shot.svg], { type: 'image/svg+xml' }), `${viewStem}.svg`);
        }),
      },
      {
        id: 'png',
        label: 'PNG (2× for slides)',
        onSelect: guard(async () => {
          const shot = viewSnapshot();
          downloadBlob(await svgToPng(shot.svg, shot.width, shot.height), `${viewStem}.png`);
        }),
      },
    ];
  };
  return (
    <div className="flex items-center gap-2">
      <Menu label="Export" items={items} buttonClass={buttonClass} testId="export-menu" />
      {problem && (
        <span role="alert" className="text-sm text-red-300">
          {problem}
        </span>
      )}
    </div>
  );
}
