/**
 * Evidence that a size cap fires before memory is committed: the largest typed array our code creates
 * while `run` executes (the global constructors are swapped for recording subclasses; views over an
 * existing buffer are not allocations and are not counted), and the growth of the JS heap and of
 * ArrayBuffer memory. Growth is measured after the call, so a garbage collection in between can only
 * make it smaller: the bounds asserted on it are upper bounds and cannot fail spuriously for that reason.
 */
const TYPED_ARRAYS = [
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Uint8Array',
  'Uint16Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

export interface AllocationReport<T> {
  outcome: { value: T } | { error: unknown };
  largestTypedArray: number;
  heapGrowth: number;
  bufferGrowth: number;
}

export function measureAllocation<T>(run: () => T): AllocationReport<T> {
  const globals = globalThis as unknown as Record<string, unknown>;
  const originals = new Map<string, unknown>();
  let largest = 0;
  for (const name of TYPED_ARRAYS) {
    const Original = globals[name] as new (...args: unknown[]) => { byteLength: number };
    originals.set(name, Original);
    globals[name] = class extends Original {
      // Arrays made before the swap must still pass `instanceof` checks (protobufjs makes one).
      static override [Symbol.hasInstance](value: unknown): boolean {
        return value instanceof Original;
      }

      constructor(...args: unknown[]) {
        super(...args);
        const first = args[0];
        if (!(first instanceof ArrayBuffer) && !(first instanceof SharedArrayBuffer))
          largest = Math.max(largest, this.byteLength);
      }
    };
  }
  const before = process.memoryUsage();
  let outcome: AllocationReport<T>['outcome'];
  try {
    outcome = { value: run() };
  } catch (error) {
    outcome = { error };
  } finally {
    for (const [name, original] of originals) globals[name] = original;
  }
  const after = process.memoryUsage();
  return {
    outcome,
    largestTypedArray: largest,
    heapGrowth: after.heapUsed - before.heapUsed,
    bufferGrowth: after.arrayBuffers - before.arrayBuffers,
  };
}

export const MiB = 1024 * 1024;
