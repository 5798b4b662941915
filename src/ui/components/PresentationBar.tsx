import { useApp } from '../state/store';
import { useUi } from '../state/uiStore';
import { CommandMenu } from './menus/CommandMenu';
import { modelLabel } from './controls/ModelControls';

const barButton = 'rounded border border-slate-500 px-3 py-0.5 text-base';

/** What is left of the header in presentation mode: the model, the commands and the way out. */
export function PresentationBar() {
  const model = useApp((s) => s.link.model);
  const computing = useApp((s) => s.computing);
  return (
    <header
      className="flex items-center gap-4 bg-slate-900 px-4 py-1 text-white"
      data-testid="presentation-bar"
    >
      <h1 className="text-lg font-bold">Effectual</h1>
      <p className="text-base text-slate-200">{modelLabel(model)}</p>
      <span
        className="text-base text-slate-300"
        data-testid="status"
        data-state={computing ? 'computing' : 'ready'}
      >
        {computing ? 'Working…' : ''}
      </span>
      <div className="ml-auto flex items-center gap-3">
        <button type="button" className={barButton} onClick={() => useUi.getState().set({ help: true })}>
          Keys <kbd className="font-mono">?</kbd>
        </button>
        <CommandMenu buttonClass={barButton} />
        <button
          type="button"
          className={barButton}
          onClick={() => useApp.getState().update((d) => void (d.presentation = false))}
          data-testid="leave-presentation"
        >
          Leave presentation <kbd className="font-mono">f</kbd>
        </button>
      </div>
    </header>
  );
}
