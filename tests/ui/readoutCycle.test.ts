import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { READOUT_INTERVAL_MS, readoutCycle } from '../../src/ui/hooks/usePlayer';
import { useApp } from '../../src/ui/state/store';

/** The PE-grid readouts follow the animation a few times a second, but steps and pauses at once. */
const setLink = (cycle: number, playing: boolean) =>
  useApp.getState().update((d) => {
    d.cycle = cycle;
    d.playing = playing;
  });

describe('readout cycle', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    setLink(0, false);
  });
  afterEach(() => vi.useRealTimers());

  it('publishes every change at once while not playing', () => {
    const seen: number[] = [];
    const stop = readoutCycle.subscribe(() => seen.push(readoutCycle.getSnapshot()));
    setLink(1, false);
    setLink(2, false);
    setLink(1, false);
    expect(seen).toEqual([1, 2, 1]);
    stop();
  });

  it('while playing: at most one update per interval, the last cycle trailing, and the exact cycle on pause', () => {
    const seen: Array<[number, number]> = [];
    const stop = readoutCycle.subscribe(() => seen.push([performance.now(), readoutCycle.getSnapshot()]));
    vi.advanceTimersByTime(1000); // the last publication is long past
    const t0 = performance.now();
    for (let c = 1; c <= 20; c++) {
      setLink(c, true); // 60 cycles/s: one cycle per 16 ms frame
      vi.advanceTimersByTime(16);
    }
    vi.advanceTimersByTime(READOUT_INTERVAL_MS);
    const gaps = seen.slice(1).map(([t], i) => t - seen[i][0]);
    expect(seen[0]).toEqual([t0, 1]); // the first cycle shows at once
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(READOUT_INTERVAL_MS);
    expect(seen.length).toBeLessThanOrEqual(1 + Math.ceil((20 * 16) / READOUT_INTERVAL_MS));
    expect(seen[seen.length - 1][1]).toBe(20); // nothing is left behind once the animation rests
    setLink(21, true);
    setLink(22, false); // pause: shown immediately, whatever the interval
    expect(readoutCycle.getSnapshot()).toBe(22);
    stop();
  });
});
