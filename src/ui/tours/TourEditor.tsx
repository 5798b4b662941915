import { useEffect, useId, useRef, useState } from 'react';
import { useApp, parseContext } from '../state/store';
import { useUi } from '../state/uiStore';
import { validateLongState } from '../state/schema';
import { parseCustomTour } from './tourField';
import { recordStep, tourOf } from './tourState';
import { startTour, tourStartLink } from './TourMenu';
import type { Tour } from './types';

const EXAMPLE: Tour = {
  title: 'My tour',
  steps: [
    {
      caption: 'DLAC on ternary weights: {speedup:dlac} on the whole network.',
      preset: 'dlac',
      state: { view: 'overview' },
    },
    {
      caption: 'The last conv layer: {speedup:dlac:layer3.2.conv2}.',
      state: { layer: 'layer3.2.conv2' },
      predict: { question: 'Speedup of layer3.2.conv2?', answer: '{speedup:dlac:layer3.2.conv2}' },
    },
  ],
};

function currentTourText(): string {
  const ref = useApp.getState().link.tour;
  const tour = ref ? tourOf(ref) : null;
  return JSON.stringify(
    tour ? { title: tour.title, summary: tour.summary, steps: tour.steps } : EXAMPLE,
    null,
    2,
  );
}

/**
 * A lecturer's tour as JSON: steps with captions, presets, partial states and predictions, checked with the
 * link schema. "Record" appends the page's current state as a step; "Play" starts the tour and puts it in
 * the link, so copying the link shares it.
 */
export function TourEditor() {
  const open = useUi((s) => s.tourEditor);
  const ref = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [notes, setNotes] = useState<string[]>([]);
  const areaId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setText(currentTourText());
      setNotes([]);
      d.showModal();
    }
    if (!open && d.open) d.close();
  }, [open]);
  const close = () => useUi.getState().set({ tourEditor: false });
  const parse = (): Tour | null => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      setNotes([`Not valid JSON: ${err instanceof Error ? err.message : String(err)}`]);
      return null;
    }
    const parsed = parseCustomTour(raw, parseContext(), (s, c) => validateLongState(s, c));
    setNotes(parsed.notes);
    return parsed.tour;
  };
  const record = () => {
    const tour = parse();
    const step = recordStep(tour, useApp.getState().link, parseContext(), 'Describe this step.');
    const next: Tour = tour ? { ...tour, steps: [...tour.steps, step] } : { title: 'My tour', steps: [step] };
    setText(JSON.stringify(next, null, 2));
  };
  const play = () => {
    const tour = parse();
    if (!tour) return;
    startTour({ custom: tour, step: 0 });
    close();
  };
  return (
    <dialog
      ref={ref}
      onClose={close}
      aria-labelledby="tour-editor-h"
      className="m-auto w-[min(60rem,95vw)] rounded-lg p-6 shadow-xl backdrop:bg-black/40"
    >
      <h2 id="tour-editor-h" className="mb-2 text-xl font-semibold">
        Your own tour
      </h2>
      <p className="mb-2 text-sm text-slate-700">
        Each step has a <code>caption</code> (placeholders like <code>{'{speedup:dlac:layer3.2.conv2}'}</code>{' '}
        are filled with live numbers), optionally a <code>preset</code>, a partial <code>state</code> (applied
        on top of the previous steps) and a <code>predict</code> question. Record adds the page’s current
        state as a new step.
      </p>
      <label htmlFor={areaId} className="text-sm font-medium">
        Tour (JSON)
      </label>
      <textarea
        id={areaId}
        className="h-80 w-full rounded border border-slate-400 p-2 font-mono text-sm"
        value={text}
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
      />
      {notes.length > 0 && (
        <ul className="mt-2 list-disc pl-5 text-sm text-amber-900" role="status">
          {notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      <div className="mt-3 flex flex-wrap gap-2">
        <button type="button" className="rounded border border-slate-500 px-3 py-1" onClick={record}>
          Record the current state as a step
        </button>
        <button
          type="button"
          className="rounded border border-sky-800 bg-sky-800 px-3 py-1 text-white"
          onClick={play}
        >
          Play (and put it in the link)
        </button>
        <button
          type="button"
          className="rounded border border-slate-500 px-3 py-1"
          onClick={() => {
            const link = tourStartLink();
            if (link) void navigator.clipboard?.writeText(link).catch(() => undefined);
          }}
        >
          Copy the playing tour’s link
        </button>
        <button type="button" className="ml-auto rounded border border-slate-500 px-3 py-1" onClick={close}>
          Close
        </button>
      </div>
    </dialog>
  );
}
