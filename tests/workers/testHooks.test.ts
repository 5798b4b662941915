import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Comlink from 'comlink';
import { TEST_FAULTS, TestHooks, type TestFault } from '../../src/workers/testHooks';
import { SimClient } from '../../src/workers/client';
import type { SimWorkerApi, WorkerOptions } from '../../src/workers/api';

afterEach(() => {
  vi.clearAllTimers();
  vi.useRealTimers();
});

describe('TestHooks (the worker side of ?testHooks)', () => {
  it('refuses every fault and the probe until enabled, and fires nothing', () => {
    const hooks = new TestHooks();
    vi.useFakeTimers();
    for (const fault of TEST_FAULTS) expect(() => hooks.inject(fault)).toThrow(/test hooks are off/);
    expect(() => hooks.probe()).toThrow(/test hooks are off/);
    expect(hooks.duringSimulation()).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses an unknown fault', () => {
    const hooks = new TestHooks();
    hooks.enable();
    expect(() => hooks.inject('reboot' as TestFault)).toThrow(/unknown test fault reboot/);
  });

  it('a crash is an uncaught exception from a timer, not an answer to the call', () => {
    const hooks = new TestHooks();
    hooks.enable();
    vi.useFakeTimers();
    expect(() => hooks.inject('crash')).not.toThrow();
    expect(vi.getTimerCount()).toBe(1);
    expect(() => vi.runOnlyPendingTimers()).toThrow('test fault: the simulation worker crashed');
  });

  it('an armed crash hits the next simulation only, which never settles', async () => {
    const hooks = new TestHooks();
    hooks.enable();
    vi.useFakeTimers();
    hooks.inject('crash-in-next-simulation');
    expect(vi.getTimerCount()).toBe(0);
    const doomed = hooks.duringSimulation();
    expect(doomed).toBeInstanceOf(Promise);
    expect(vi.getTimerCount()).toBe(1);
    expect(() => vi.runOnlyPendingTimers()).toThrow(/crashed during a simulation/);
    const settled = await Promise.race([
      doomed!.then(
        () => true,
        () => true,
      ),
      Promise.resolve(false),
    ]);
    expect(settled).toBe(false);
    expect(hooks.duringSimulation()).toBeNull();
  });

  it('the probe reports what this realm allows (Node: no CSP, so eval runs)', () => {
    const hooks = new TestHooks();
    hooks.enable();
    expect(hooks.probe()).toEqual({ wasmKernels: true, evalAllowed: true });
  });
});

describe('SimClient options', () => {
  it('test hooks are enabled in every worker it starts, restarts included', async () => {
    const inits: Array<WorkerOptions | undefined> = [];
    const factory = () => {
      const { port1, port2 } = new MessageChannel();
      const api: Partial<SimWorkerApi> = { init: (_base, options) => void inits.push(options) };
      Comlink.expose(api, port2 as unknown as Comlink.Endpoint);
      port1.start();
      return {
        postMessage: (msg: unknown, transfer?: Transferable[]) => port1.postMessage(msg, transfer as never),
        addEventListener: (type: string, fn: EventListener) => port1.addEventListener(type, fn as never),
        removeEventListener: (type: string, fn: EventListener) =>
          port1.removeEventListener(type, fn as never),
        terminate: () => {
          port1.close();
          port2.close();
        },
      } as unknown as Worker;
    };
    const client = new SimClient({ onCrash: () => undefined }, 'http://x/', factory, { testHooks: true });
    await expect.poll(() => inits.length).toBe(1);
    client.restart();
    await expect.poll(() => inits.length).toBe(2);
    expect(inits).toEqual([{ testHooks: true }, { testHooks: true }]);
    client.dispose();
    const plain = new SimClient({ onCrash: () => undefined }, 'http://x/', factory);
    await expect.poll(() => inits.length).toBe(3);
    expect(inits[2]).toEqual({});
    plain.dispose();
  });
});
