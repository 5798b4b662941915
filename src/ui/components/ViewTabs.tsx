import { useRef, type KeyboardEvent } from 'react';
import { VIEW_IDS, type ViewId } from '../state/linkState';
import { useApp } from '../state/store';

export const VIEW_LABELS: Record<ViewId, string> = {
  overview: 'Overview',
  pe: 'PE grid',
  occupancy: 'Occupancy',
  terms: 'Terms',
  quant: 'Quantisation',
  accuracy: 'Accuracy',
  energy: 'Memory & energy',
  compare: 'Compare',
};

export function setView(view: ViewId): void {
  useApp.getState().update((d) => {
    d.view = view;
    d.playing = false;
  });
}

export function ViewTabs() {
  const view = useApp((s) => s.link.view);
  const ref = useRef<HTMLDivElement>(null);
  const onKey = (e: KeyboardEvent) => {
    const i = VIEW_IDS.indexOf(view);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % VIEW_IDS.length;
    else if (e.key === 'ArrowLeft') next = (i + VIEW_IDS.length - 1) % VIEW_IDS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = VIEW_IDS.length - 1;
    if (next < 0) return;
    e.preventDefault();
    setView(VIEW_IDS[next]);
    requestAnimationFrame(() =>
      ref.current?.querySelector<HTMLButtonElement>('[aria-selected="true"]')?.focus(),
    );
  };
  return (
    <div
      ref={ref}
      role="tablist"
      aria-label="Views"
      className="flex flex-wrap gap-1 border-b border-slate-300 px-2"
      onKeyDown={onKey}
    >
      {VIEW_IDS.map((id, i) => (
        <button
          key={id}
          id={`tab-${id}`}
          type="button"
          role="tab"
          aria-selected={id === view}
          aria-controls="view-panel"
          tabIndex={id === view ? 0 : -1}
          className={`-mb-px rounded-t border px-4 py-2 text-base ${
            id === view
              ? 'border-slate-300 border-b-white bg-white font-semibold'
              : 'border-transparent text-slate-700 hover:bg-slate-100'
          }`}
          onClick={() => setView(id)}
        >
          <span aria-hidden className="mr-1 text-sm text-slate-600">
            {i + 1}
          </span>
          {VIEW_LABELS[id]}
        </button>
      ))}
    </div>
  );
}
