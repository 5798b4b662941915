import { useState } from 'react';
import { useApp } from '../state/store';
import { modelLabel } from './controls/ModelControls';
import { useUi } from '../state/uiStore';
import { CommandMenu } from './menus/CommandMenu';
import { ExportMenu } from './menus/ExportMenu';
import { TourMenu } from '../tours/TourMenu';

const STAGES: Record<string, string> = {
  load: 'Loading the model',
  inference: 'Running inference',
  quantize: 'Quantising',
  simulate: 'Simulating accelerators',
  accuracy: 'Measuring accuracy',
};

function Status() {
  const computing = useApp((s) => s.computing);
  const progress = useApp((s) => s.progress);
  if (!computing)
    return (
      <span className="text-slate-300" data-testid="status" data-state="ready">
        Ready
      </span>
    );
  const pct = progress ? Math.round(progress.fraction * 100) : null;
  return (
    <div className="flex items-center gap-2" role="status" data-testid="status" data-state="computing">
      <span>{progress ? `${STAGES[progress.stage] ?? progress.stage}…` : 'Working…'}</span>
      {pct !== null && (
        <progress className="h-3 w-32" max={100} value={pct} aria-label="progress">
          {pct} %
        </progress>
      )}
    </div>
  );
}

const headerButton = 'rounded border border-slate-400 px-3 py-1';

export function Header() {
  const settingsShown = useUi((s) => s.settings);
  const model = useApp((s) => s.link.model);
  const custom = useApp((s) => s.customModel);
  const report = useApp((s) => s.report);
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard
      ?.writeText(window.location.href)
      .then(() => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      })
      .catch(() => undefined);
  };
  return (
    <header className="flex flex-wrap items-center gap-x-6 gap-y-2 bg-slate-900 px-4 py-3 text-white">
      <h1 className="text-2xl font-bold tracking-tight">Effectual</h1>
      <p className="text-lg text-slate-200">
        {modelLabel(model, custom?.fileName)}
        {report?.model.synthetic && (
          <span className="ml-2 rounded bg-amber-300 px-2 text-base text-amber-950">synthetic</span>
        )}
      </p>
      <div className="ml-auto flex items-center gap-4">
        <Status />
        <TourMenu buttonClass={headerButton} />
        <ExportMenu buttonClass={headerButton} />
        <button
          type="button"
          className={headerButton}
          onClick={() => useUi.getState().set({ settings: !settingsShown })}
          aria-expanded={settingsShown}
          aria-controls="settings"
        >
          {settingsShown ? 'Hide settings' : 'Show settings'}
        </button>
        <button type="button" className={headerButton} onClick={copy}>
          {copied ? 'Link copied' : 'Copy link'}
        </button>
        <button
          type="button"
          className={headerButton}
          onClick={() => useApp.getState().update((d) => void (d.presentation = true))}
          title="Presentation mode: large type, settings hidden (f)"
          data-testid="present"
        >
          Present
        </button>
        <CommandMenu buttonClass={headerButton} />
      </div>
    </header>
  );
}
