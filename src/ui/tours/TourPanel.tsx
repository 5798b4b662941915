import { useId, useState } from 'react';
import { useApp } from '../state/store';
import { useUi } from '../state/uiStore';
import { useReportIsCurrent } from '../hooks/useSimulation';
import { moveTour } from '../commands';
import { Caption } from './Caption';
import { fillTemplateText } from './template';
import { useTour, type TourView } from './useTour';

const btn = 'rounded border border-sky-900 bg-white px-3 py-1 text-base disabled:opacity-40';

function leadingNumber(text: string): number | null {
  const m = /-?\d[\d,]*(?:\.\d+)?/.exec(text);
  return m ? Number(m[0].replaceAll(',', '')) : null;
}

/** Predict, then reveal: the figure stays hidden (and the view covered) until the student has guessed. */
function Prediction({ view }: { view: TourView }) {
  const predict = view.step.predict!;
  const report = useApp((s) => s.report);
  const current = useReportIsCurrent();
  const revealed = useUi((s) => s.revealed[view.key]);
  const [guess, setGuess] = useState('');
  const inputId = useId();
  const answer = fillTemplateText(predict.answer, current ? report : null);
  if (revealed === undefined) {
    return (
      <form
        className="flex flex-wrap items-end gap-3 rounded border border-amber-500 bg-amber-50 p-3"
        data-testid="prediction"
        onSubmit={(e) => {
          e.preventDefault();
          useUi.getState().set({ revealed: { ...useUi.getState().revealed, [view.key]: guess.trim() } });
        }}
      >
        <div className="flex min-w-72 flex-1 flex-col gap-1">
          <label htmlFor={inputId} className="font-semibold">
            Predict: <Caption template={predict.question} />
          </label>
          <input
            id={inputId}
            className="w-48 rounded border border-slate-500 bg-white px-2 py-1"
            inputMode="decimal"
            placeholder="your guess"
            value={guess}
            onChange={(e) => setGuess(e.target.value)}
          />
        </div>
        <button type="submit" className={btn} data-testid="reveal">
          Reveal
        </button>
      </form>
    );
  }
  const g = leadingNumber(revealed);
  const a = leadingNumber(answer);
  const off = g !== null && a !== null && a !== 0 ? ((g - a) / a) * 100 : null;
  return (
    <p className="rounded border border-emerald-600 bg-emerald-50 p-3" data-testid="revealed">
      <Caption template={predict.question} /> The figure: <strong data-testid="answer">{answer}</strong>
      {revealed ? (
        <>
          {' '}
          — your guess: {revealed}
          {off !== null && ` (${off >= 0 ? '+' : ''}${off.toFixed(0)} %)`}
        </>
      ) : (
        ' (no guess given)'
      )}
    </p>
  );
}

/** The tour's caption, step counter and navigation; ← / → also move (commands table). */
export function TourPanel() {
  const view = useTour();
  const hideNav = useApp((s) => s.link.presentation && s.link.hide.includes('tour'));
  if (!view) return null;
  const { tour, index, step } = view;
  const last = tour.steps.length - 1;
  return (
    <section
      aria-label={`Tour: ${tour.title}`}
      data-testid="tour-panel"
      data-step={index}
      className="flex flex-col gap-2 border-b border-sky-200 bg-sky-50 px-4 py-3"
    >
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-lg font-semibold text-sky-950">{tour.title}</h2>
        <span className="text-base text-slate-700" data-testid="tour-step">
          Step {index + 1} of {tour.steps.length}
        </span>
        {!hideNav && (
          <div className="ml-auto flex gap-2">
            <button
              type="button"
              className={btn}
              disabled={index === 0}
              onClick={() => moveTour(useApp, -1)}
              aria-keyshortcuts="ArrowLeft"
            >
              ← Previous
            </button>
            <button
              type="button"
              className={btn}
              disabled={index === last}
              onClick={() => moveTour(useApp, 1)}
              aria-keyshortcuts="ArrowRight"
              data-testid="tour-next"
            >
              Next →
            </button>
            <button
              type="button"
              className={btn}
              onClick={() => useApp.getState().update((d) => void (d.tour = null))}
            >
              Leave tour
            </button>
          </div>
        )}
      </div>
      {step.predict && <Prediction key={view.key} view={view} />}
      {!view.pending && (
        <p className="max-w-6xl text-lg leading-relaxed" data-testid="tour-caption">
          <Caption template={step.caption} />
        </p>
      )}
    </section>
  );
}
