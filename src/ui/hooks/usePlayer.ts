import { useEffect } from 'react';
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
