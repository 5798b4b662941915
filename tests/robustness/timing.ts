/**
 * Wall-clock bookkeeping for hostile-input tests. The bound asserted on it is a correctness bound on hangs
 * (an input that makes a loader loop or allocate without end), not a speed benchmark; it is generous
 * because the test machine is shared with other jobs.
 */
export const HANG_BOUND_MS = 2000;

export interface Timed<T> {
  result: T;
  ms: number;
}

export class WorstCase {
  maxMs = 0;
  label = '';
  count = 0;

  constructor(readonly name: string) {}

  time<T>(label: string, run: () => T): Timed<T> {
    const start = performance.now();
    const result = run();
    const ms = performance.now() - start;
    this.note(label, ms);
    return { result, ms };
  }

  note(label: string, ms: number): void {
    this.count++;
    if (ms > this.maxMs) {
      this.maxMs = ms;
      this.label = label;
    }
  }

  /** One line for the test log: how many cases, the slowest and its label. */
  summary(): string {
    return `${this.name}: ${this.count} cases, slowest ${this.maxMs.toFixed(1)} ms (${this.label})`;
  }
}
