/** Small timing and statistics helpers shared by the benchmark parts. */

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of an unsorted list; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export interface Elapsed {
  /** Wall-clock seconds. */
  wall: number;
  /** User + system CPU seconds of this process: a better guide than wall time on a machine shared with other work. */
  cpu: number;
}

export function startClock(): () => Elapsed {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  return () => {
    const cpu = process.cpuUsage(cpu0);
    return { wall: (performance.now() - wall0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
  };
}

export function timed<T>(run: () => T): { value: T; elapsed: Elapsed } {
  const stop = startClock();
  const value = run();
  return { value, elapsed: stop() };
}

export function addElapsed(a: Elapsed, b: Elapsed): Elapsed {
  return { wall: a.wall + b.wall, cpu: a.cpu + b.cpu };
}

export const ZERO_ELAPSED: Elapsed = { wall: 0, cpu: 0 };
