import { wasmKernels } from '../sim/infer/wasm/kernels';

/**
 * Hooks for the browser tests: faults provoked in the simulation worker, to check that the page survives
 * them, and a probe of what the worker's realm allows. Off unless the page was opened with `?testHooks`
 * (the page then enables them through `init`); all they can do is break the user's own worker.
 */
export type TestFault =
  /** An uncaught exception: the worker's `error` event reaches the page. */
  | 'crash'
  /** Allocates 1 GiB buffers until the allocator refuses, uncaught: what a worker out of memory reports. */
  | 'out-of-memory'
  /** The next simulation crashes the worker while it runs (the page is computing). */
  | 'crash-in-next-simulation'
  /** The next simulation runs out of memory inside the call: an error for that call, the worker lives. */
  | 'out-of-memory-in-next-simulation';

export const TEST_FAULTS: readonly TestFault[] = [
  'crash',
  'out-of-memory',
  'crash-in-next-simulation',
  'out-of-memory-in-next-simulation',
];

/** 1 GiB at a time, at most 4 TiB: only address space is taken (the pages are never touched). */
function exhaustMemory(): never {
  const held: ArrayBuffer[] = [];
  for (let i = 0; i < 4096; i++) held.push(new ArrayBuffer(2 ** 30));
  throw new RangeError(`test fault: ${held.length} GiB were allocated without running out of memory`);
}

function uncaught(fault: () => void): void {
  setTimeout(fault, 0);
}

export class TestHooks {
  private enabled = false;
  private armed: TestFault | null = null;

  enable(): void {
    this.enabled = true;
  }

  private check(): void {
    if (!this.enabled) throw new Error('test hooks are off (open the page with ?testHooks)');
  }

  probe(): RealmProbe {
    this.check();
    return probeRealm();
  }

  inject(fault: TestFault): void {
    this.check();
    if (!TEST_FAULTS.includes(fault)) throw new Error(`unknown test fault ${String(fault)}`);
    if (fault === 'crash')
      uncaught(() => {
        throw new Error('test fault: the simulation worker crashed');
      });
    else if (fault === 'out-of-memory') uncaught(exhaustMemory);
    else this.armed = fault;
  }

  /**
   * Called as a simulation starts: a pending fault fires now. A crash never settles the call (the worker
   * dies); running out of memory throws into it.
   */
  duringSimulation(): Promise<never> | null {
    const fault = this.armed;
    this.armed = null;
    if (fault === 'crash-in-next-simulation') {
      uncaught(() => {
        throw new Error('test fault: the simulation worker crashed during a simulation');
      });
      return new Promise<never>(() => undefined);
    }
    if (fault === 'out-of-memory-in-next-simulation') exhaustMemory();
    return null;
  }
}

/** What a realm allows under the page's Content-Security-Policy, asked by code of the app itself. */
export interface RealmProbe {
  /** The inference engine's WebAssembly kernels compiled ('wasm-unsafe-eval'). */
  wasmKernels: boolean;
  /** eval ran (it must not: no 'unsafe-eval'). */
  evalAllowed: boolean;
}

function probeRealm(): RealmProbe {
  let evalAllowed = false;
  try {
    (0, eval)('0');
    evalAllowed = true;
  } catch {
    evalAllowed = false;
  }
  return { wasmKernels: wasmKernels() !== null, evalAllowed };
}
