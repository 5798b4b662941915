import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useApp } from '../state/store';
import { useSelectedLayer } from '../hooks/useLayer';
import { fmtCount, fmtX, shapeOf, speedupFormula } from '../lib/format';
import { accelName } from '../state/catalog';

export function selectLayer(name: string): void {
  useApp.getState().update((d) => {
    d.layer = name;
    d.cycle = 0;
    d.tile = { filter: 0, window: 0 };
  });
}

/** Moves the selection by `delta` layers (keyboard shortcut and arrow keys). */
export function stepLayer(delta: number): void {
  const { report } = useApp.getState();
  if (!report || report.layers.length === 0) return;
  const current = report.layers.findIndex((l) => l.name === useApp.getState().link.layer);
  const next = Math.min(report.layers.length - 1, Math.max(0, (current < 0 ? 0 : current) + delta));
  selectLayer(report.layers[next].name);
}

export function LayerNavigator() {
  const report = useApp((s) => s.report);
  const gridAccel = useApp((s) => s.link.gridAccel);
  const selected = useSelectedLayer();
  const listRef = useRef<HTMLOListElement>(null);
  // Keep the selection in sight when it changes from another view or a key.
  useEffect(() => {
    listRef.current?.querySelector('[aria-current="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selected?.name]);
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    stepLayer(e.key === 'ArrowDown' ? 1 : -1);
    requestAnimationFrame(() =>
      listRef.current?.querySelector<HTMLButtonElement>('[aria-current="true"]')?.focus(),
    );
  };
  return (
    <nav aria-label="Layers" className="flex min-h-0 flex-col">
      <h2 className="px-3 pt-3 text-lg font-semibold">Layers</h2>
      <p className="px-3 pb-2 text-sm text-slate-600">
        ↑/↓ or [ ] to move; speedup of {accelName(gridAccel)}
      </p>
      {!report && <p className="px-3 text-slate-600">Waiting for the first result…</p>}
      <ol ref={listRef} className="min-h-0 flex-1 overflow-y-auto px-2 pb-3" onKeyDown={onKey}>
        {report?.layers.map((layer) => {
          const r = layer.results[gridAccel];
          const isSel = layer.name === selected?.name;
          return (
            <li key={layer.name}>
              <button
                type="button"
                aria-current={isSel ? 'true' : undefined}
                data-layer={layer.name}
                className={`my-0.5 flex w-full flex-col rounded px-2 py-1 text-left ${isSel ? 'bg-sky-800 text-white' : 'hover:bg-slate-100'}`}
                onClick={() => selectLayer(layer.name)}
              >
                <span className="flex items-baseline gap-2">
                  <span className="truncate font-mono text-sm font-semibold">{layer.name}</span>
                  <span
                    className={`ml-auto rounded px-1 text-xs uppercase ${isSel ? 'bg-sky-950' : 'bg-slate-200'}`}
                  >
                    {layer.kind}
                  </span>
                </span>
                <span className={`flex gap-2 text-sm ${isSel ? 'text-sky-100' : 'text-slate-600'}`}>
                  <span>{shapeOf(layer.geometry)}</span>
                  {r && (
                    <span
                      className="ml-auto tabular-nums"
                      title={speedupFormula(r.baselineCycles, r.cycles, r.speedup)}
                    >
                      {fmtX(r.speedup)}
                    </span>
                  )}
                </span>
                <span className="sr-only">{fmtCount(layer.macs)} MACs</span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
