import { useEffect, useSyncExternalStore } from 'react';
import { useApp } from '../state/store';

export const SPEEDS = [0.5, 1, 2, 4, 8, 16, 32, 60, 120] as const;

export function setCycle(cycle: number, gesture?: string): void {
  useApp.getState().update((d) => {
    d.cycle = Math.max(0, Math.trunc(cycle));
  }, gesture);
}

export function stepCycle(delta: number, last: number): void {
  const { link, update } = useApp.getState();
  update((d) => {
    d.playing = false;
    d.cycle = Math.min(last, Math.max(0, Math.min(link.cycle, last) + delta));
  });
}

export function togglePlay(last: number): void {
  useApp.getState().update((d) => {
    if (!d.playing && d.cycle >= last) d.cycle = 0; // play again from the start
    d.playing = !d.playing;
  });
}

/** Advances the animation cycle while playing, at `speed` cycles per second; stops at the last cycle. */
export function usePlayer(lastCycle: number): void {
  const playing = useApp((s) => s.link.playing);
  useEffect(() => {
    if (!playing || lastCycle < 0) return;
    let frame = 0;
    let origin = performance.now();
    let startCycle = Math.min(useApp.getState().link.cycle, lastCycle);
    const tick = (now: number) => {
      const { link, update } = useApp.getState();
      const target = startCycle + Math.floor(((now - origin) / 1000) * link.speed);
      if (target !== link.cycle) {
        const next = Math.min(target, lastCycle);
        update((d) => {
          d.cycle = next;
          if (next >= lastCycle) d.playing = false;
        }, 'play');
        if (next >= lastCycle) return;
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    // A speed change restarts the clock from the current cycle.
    const unsubscribe = useApp.subscribe((s, prev) => {
      if (s.link.speed !== prev.link.speed) {
        origin = performance.now();
        startCycle = s.link.cycle;
      }
    });
    return () => {
      cancelAnimationFrame(frame);
      unsubscribe();
    };
  }, [playing, lastCycle]);
}

/**
 * While the animation plays, the readouts around the grid (cycle counter, scrub bar, per-state counts,
 * sparkline cursor) follow the cycle at most this often (at the default 4 cycles/s, every cycle); the
 * canvas itself draws every cycle. Updating those readouts costs a layout and a paint of the page, several
 * times what drawing the grid costs, and nobody reads 60 numbers a second.
 */
export const READOUT_INTERVAL_MS = 250;

const readout = {
  cycle: 0,
  at: -Infinity,
  timer: undefined as ReturnType<typeof setTimeout> | undefined,
  listeners: new Set<() => void>(),
  unsubscribe: null as (() => void) | null,
};

function publishReadout(cycle: number): void {
  clearTimeout(readout.timer);
  readout.timer = undefined;
  readout.at = performance.now();
  if (cycle === readout.cycle) return;
  readout.cycle = cycle;
  for (const listener of [...readout.listeners]) listener();
}

function onStoreChange(): void {
  const { cycle, playing } = useApp.getState().link;
  if (cycle === readout.cycle && readout.timer === undefined) return;
  const wait = READOUT_INTERVAL_MS - (performance.now() - readout.at);
  if (!playing || wait <= 0) publishReadout(cycle);
  else readout.timer ??= setTimeout(() => publishReadout(useApp.getState().link.cycle), wait);
}

function subscribeReadout(listener: () => void): () => void {
  if (readout.listeners.size === 0) {
    readout.cycle = useApp.getState().link.cycle;
    readout.unsubscribe = useApp.subscribe(onStoreChange);
  }
  readout.listeners.add(listener);
  return () => {
    readout.listeners.delete(listener);
    if (readout.listeners.size > 0) return;
    readout.unsubscribe?.();
    readout.unsubscribe = null;
    clearTimeout(readout.timer);
    readout.timer = undefined;
  };
}

const readoutSnapshot = () => (readout.listeners.size > 0 ? readout.cycle : useApp.getState().link.cycle);

/** The readout cycle as an external store (what useReadoutCycle subscribes to). */
export const readoutCycle = { subscribe: subscribeReadout, getSnapshot: readoutSnapshot };

/**
 * The link's cycle for readouts: exact whenever the animation is not playing (steps, scrubbing, pausing
 * show at once), at most every READOUT_INTERVAL_MS while it plays.
 */
export function useReadoutCycle(): number {
  return useSyncExternalStore(subscribeReadout, readoutSnapshot);
}
