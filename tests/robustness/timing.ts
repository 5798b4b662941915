/**
 * Time bookkeeping for hostile-input tests. The bound asserted on it is a correctness bound on hangs (an
 * input that makes a loader loop or allocate without end), not a speed benchmark. It is checked on the
 * CPU time of this process (user + system, GC threads included), which another job on a shared machine
 * cannot inflate the way it inflates wall-clock time; both are reported.
 */
export const HANG_BOUND_MS = 2000;

export interface Timed<T> {
  result: T;
  /** CPU milliseconds spent by this process during the call. */
  ms: number;
  wallMs: number;
}

export class WorstCase {
  maxMs = 0;
  maxWallMs = 0;
  label = '';
  count = 0;

  constructor(readonly name: string) {}

  time<T>(label: string, run: () => T): Timed<T> {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = run();
    const wallMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    const ms = (cpu.user + cpu.system) / 1000;
    this.count++;
    this.maxWallMs = Math.max(this.maxWallMs, wallMs);
    if (ms > this.maxMs) {
      this.maxMs = ms;
      this.label = label;
    }
    return { result, ms, wallMs };
  }

  /** One line for the test log: how many cases, the slowest (CPU) and its label, the slowest wall time. */
  summary(): string {
    return (
      `${this.name}: ${this.count} cases, slowest ${this.maxMs.toFixed(0)} ms CPU (${this.label}), ` +
      `slowest wall time ${this.maxWallMs.toFixed(0)} ms`
    );
  }
}
