import { afterEach, describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { isSuperseded, SimClient } from '../../src/workers/client';
import type { SimWorkerApi } from '../../src/workers/api';
import { defaultConfig, type SimConfig } from '../../src/sim/config';
import type { SimReport } from '../../src/sim/report';

/**
 * A stand-in for the worker: a MessageChannel whose far end exposes a fake API. Each fake "worker" records
 * what it was asked, and its prepare step waits until the test releases it.
 */
interface FakeWorker {
  calls: string[];
  terminated: boolean;
  release(): void;
  customBytes: number[] | null;
}

function makeFactory(workers: FakeWorker[]) {
  return () => {
    const { port1, port2 } = new MessageChannel();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fake: FakeWorker = { calls: [], terminated: false, release, customBytes: null };
    workers.push(fake);
    const api: Partial<SimWorkerApi> = {
      init: () => void fake.calls.push('init'),
      cachedReport: () => null,
      async prepare(config: SimConfig) {
        fake.calls.push(`prepare:${config.images}`);
        await gate;
        return { layers: [], cached: false };
      },
      async simulate(config: SimConfig) {
        fake.calls.push(`simulate:${config.images}`);
        return { config } as unknown as SimReport;
      },
      restoreCustomModel(bytes: ArrayBuffer) {
        fake.customBytes = Array.from(new Uint8Array(bytes));
      },
      async loadCustomModel(bytes: ArrayBuffer) {
        fake.customBytes = Array.from(new Uint8Array(bytes));
        return { layers: 3, bytes: bytes.byteLength };
      },
    };
    Comlink.expose(api, port2 as unknown as Comlink.Endpoint);
    port1.start();
    const worker = {
      postMessage: (msg: unknown, transfer?: Transferable[]) => port1.postMessage(msg, transfer as never),
      addEventListener: (type: string, fn: EventListener) => port1.addEventListener(type, fn as never),
      removeEventListener: (type: string, fn: EventListener) => port1.removeEventListener(type, fn as never),
      terminate: () => {
        fake.terminated = true;
        port1.close();
        port2.close();
      },
    };
    return worker as unknown as Worker;
  };
}

const config = (images: number): SimConfig => ({ ...defaultConfig(), images });
const clients: SimClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.dispose()));

describe('SimClient', () => {
  it('a newer request during preparation restarts the worker and supersedes the old one', async () => {
    const workers: FakeWorker[] = [];
    const client = new SimClient({ onCrash: () => undefined }, 'http://x/', makeFactory(workers));
    clients.push(client);
    const first = client.compute(config(1));
    await expect.poll(() => workers[0].calls).toContain('prepare:1');
    const second = client.compute(config(2));
    await expect(first).rejects.toSatisfy(isSuperseded);
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(2);
    await expect.poll(() => workers[1].calls).toContain('prepare:2');
    workers[1].release();
    const report = await second;
    expect(report.config.images).toBe(2);
    expect(workers[1].calls).toEqual(['init', 'prepare:2', 'simulate:2']);
  });

  it('re-sends a loaded custom model to the restarted worker', async () => {
    const workers: FakeWorker[] = [];
    const client = new SimClient({ onCrash: () => undefined }, 'http://x/', makeFactory(workers));
    clients.push(client);
    const info = await client.loadCustomModel(new Uint8Array([7, 8, 9]).buffer, config(1));
    expect(info.layers).toBe(3);
    client.restart();
    await expect.poll(() => workers[1]?.customBytes).toEqual([7, 8, 9]);
  });

  it('does not restart when nothing is in flight', async () => {
    const workers: FakeWorker[] = [];
    const client = new SimClient({ onCrash: () => undefined }, 'http://x/', makeFactory(workers));
    clients.push(client);
    workers[0].release();
    await client.compute(config(1));
    await client.compute(config(3));
    expect(workers).toHaveLength(1);
    expect(workers[0].calls).toEqual(['init', 'prepare:1', 'simulate:1', 'prepare:3', 'simulate:3']);
  });
});
