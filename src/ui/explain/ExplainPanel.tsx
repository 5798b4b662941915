import { useEffect, useState } from 'react';
import type { ModelId } from '../../sim/accel/types';
import { useApp } from '../state/store';
import { useUi } from '../state/uiStore';
import { useSelectedLayer } from '../hooks/useLayer';
import { accelName } from '../state/catalog';
import { explainLayer, explainResult, explainTotal, type Explanation } from './formulas';

/** The explanation an element carries: its `title`, or an SVG `<title>` child (charts). */
function explanationAt(start: EventTarget | null): string | null {
  let el = start instanceof Element ? start : null;
  while (el && el !== document.body) {
    if (el.closest('[data-explain-panel]')) return null;
    const title = el.getAttribute('title');
    if (title && /\d/.test(title)) return title;
    const svgTitle = [...el.children].find((c) => c.tagName.toLowerCase() === 'title')?.textContent;
    if (svgTitle && /\d/.test(svgTitle)) return svgTitle;
    el = el.parentElement;
  }
  return null;
}

/** Follows the pointer and the keyboard focus, remembering the last number that could explain itself. */
function usePointedExplanation(active: boolean): string | null {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    if (!active) return;
    const on = (e: Event) => {
      const found = explanationAt(e.target);
      if (found) setText(found);
    };
    document.addEventListener('pointerover', on);
    document.addEventListener('focusin', on);
    return () => {
      document.removeEventListener('pointerover', on);
      document.removeEventListener('focusin', on);
    };
  }, [active]);
  return text;
}

function Items({ items }: { items: Explanation[] }) {
  return (
    <dl className="flex flex-col gap-2">
      {items.map((e) => (
        <div key={e.id} data-explain={e.id}>
          <dt className="text-sm font-semibold text-slate-700">
            {e.label}: <span className="tabular-nums text-slate-900">{e.value}</span>
          </dt>
          <dd className="font-mono text-sm leading-snug break-words text-slate-800">{e.formula}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * Side note that explains the numbers on screen with their formulas filled in: the selected layer on one
 * accelerator, the layer's sparsity and terms, the network total, and whatever number was last pointed at
 * or focused (every number's tooltip text).
 */
export function ExplainPanel() {
  const open = useUi((s) => s.explain);
  const report = useApp((s) => s.report);
  const gridAccel = useApp((s) => s.link.gridAccel);
  const layer = useSelectedLayer();
  const [chosen, setChosen] = useState<ModelId | null>(null);
  const pointed = usePointedExplanation(open);
  if (!open) return null;
  const available = layer ? (Object.keys(layer.results) as ModelId[]) : [];
  const id =
    chosen && available.includes(chosen) ? chosen : available.includes(gridAccel) ? gridAccel : available[0];
  const result = id && layer ? layer.results[id] : undefined;
  const total = report && id ? explainTotal(report, id) : null;
  return (
    <aside
      aria-labelledby="explain-h"
      data-explain-panel
      data-testid="explain-panel"
      className="flex min-h-0 flex-col gap-4 overflow-y-auto border-l border-slate-200 bg-amber-50/40 p-4"
    >
      <div className="flex items-center gap-2">
        <h2 id="explain-h" className="text-lg font-semibold">
          Explain
        </h2>
        <button
          type="button"
          className="ml-auto rounded border border-slate-500 px-2 py-0.5 text-sm"
          onClick={() => useUi.getState().set({ explain: false })}
          aria-keyshortcuts="e"
          title="Close (e)"
        >
          Close
        </button>
      </div>
      <section aria-label="Last number pointed at" className="rounded border border-amber-300 bg-white p-2">
        <h3 className="text-sm font-semibold text-slate-700">Pointed at</h3>
        <p className="font-mono text-sm break-words" data-testid="explain-pointed" aria-live="polite">
          {pointed ?? 'Point at or focus a number to see its formula here.'}
        </p>
      </section>
      {!report || !layer ? (
        <p>Waiting for the first result…</p>
      ) : (
        <>
          <section className="flex flex-col gap-2">
            <h3 className="font-semibold">
              {layer.name} on{' '}
              <label className="sr-only" htmlFor="explain-accel">
                Accelerator to explain
              </label>
              <select
                id="explain-accel"
                className="rounded border border-slate-400 bg-white px-1 text-base font-normal"
                value={id ?? ''}
                onChange={(e) => setChosen(e.target.value as ModelId)}
              >
                {available.map((a) => (
                  <option key={a} value={a}>
                    {accelName(a)}
                  </option>
                ))}
              </select>
            </h3>
            {result ? (
              <Items items={explainResult(layer, result, report.config.images)} />
            ) : (
              <p>No accelerator has a result for this layer.</p>
            )}
          </section>
          <section className="flex flex-col gap-2">
            <h3 className="font-semibold">The layer’s operands</h3>
            <Items items={explainLayer(layer)} />
          </section>
          {total && (
            <section className="flex flex-col gap-2">
              <h3 className="font-semibold">Whole network</h3>
              <Items items={[total]} />
            </section>
          )}
        </>
      )}
    </aside>
  );
}
