import { useId } from 'react';
import { useApp } from '../../state/store';
import { SPEEDS, setCycle, stepCycle, togglePlay, useReadoutCycle } from '../../hooks/usePlayer';
import { fmtCount } from '../../lib/format';

const btn = 'rounded border border-slate-500 bg-white px-3 py-1 text-base disabled:opacity-40';

/** Play/pause, step, speed and scrub for the tile animation; `last` is the last stored cycle. */
export function PlayerControls({ last, totalCycles }: { last: number; totalCycles: number }) {
  const cycle = Math.min(useReadoutCycle(), Math.max(last, 0));
  const playing = useApp((s) => s.link.playing);
  const speed = useApp((s) => s.link.speed);
  const scrubId = useId();
  const speedId = useId();
  return (
    <div className="flex flex-wrap items-center gap-3 [contain:content]" data-group="player">
      <button
        type="button"
        className={btn}
        onClick={() => togglePlay(last)}
        aria-pressed={playing}
        data-testid="play"
      >
        {playing ? '❚❚ Pause' : '▶ Play'}
      </button>
      <button
        type="button"
        className={btn}
        onClick={() => stepCycle(-1, last)}
        disabled={cycle <= 0}
        aria-label="Step back one cycle"
      >
        ◀ Step
      </button>
      <button
        type="button"
        className={btn}
        onClick={() => stepCycle(1, last)}
        disabled={cycle >= last}
        aria-label="Step forward one cycle"
        data-testid="step"
      >
        Step ▶
      </button>
      <label htmlFor={speedId} className="text-sm">
        Speed
      </label>
      <select
        id={speedId}
        className="rounded border border-slate-400 px-1 py-1"
        value={String(speed)}
        onChange={(e) => useApp.getState().update((d) => void (d.speed = Number(e.target.value)))}
      >
        {[...new Set([...SPEEDS, speed])]
          .sort((a, b) => a - b)
          .map((s) => (
            <option key={s} value={String(s)}>
              {s} cycles/s
            </option>
          ))}
      </select>
      <span
        className="min-w-48 text-lg font-semibold tabular-nums"
        data-testid="cycle-counter"
        data-cycle={cycle}
        title={`cycle ${cycle + 1} of the ${fmtCount(last + 1)} recorded; the tile takes ${fmtCount(totalCycles)} cycles in total`}
        aria-live="off"
      >
        Cycle {fmtCount(cycle + 1)} / {fmtCount(last + 1)}
      </span>
      <div className="flex min-w-64 flex-1 items-center gap-2">
        <label htmlFor={scrubId} className="text-sm">
          Scrub
        </label>
        <input
          id={scrubId}
          type="range"
          className="flex-1 accent-sky-700"
          min={0}
          max={Math.max(0, last)}
          value={cycle}
          onChange={(e) => {
            useApp.getState().update((d) => void (d.playing = false));
            setCycle(Number(e.target.value), 'scrub');
          }}
        />
      </div>
    </div>
  );
}
