import * as Comlink from 'comlink';
import type { SimConfig } from '../sim/config';
import type { SimReport } from '../sim/report';
import type { LayerDetails, Progress } from '../sim/pipeline';
import type { ModelId, TileTrace, TraceRequest } from '../sim/accel/types';
import type { CustomModelInfo, SimWorkerApi, WorkerOptions } from './api';
import type { RealmProbe, TestFault } from './testHooks';
import { prepareKey } from './keys';

/** Rejection reason of work that a newer request made pointless; callers ignore it. */
export class Superseded extends Error {
  constructor() {
    super('superseded by a newer request');
    this.name = 'Superseded';
  }
}

export function isSuperseded(err: unknown): boolean {
  return err instanceof Superseded;
}

export interface SimClientEvents {
  /** The worker died (uncaught error, out of memory...); it has been restarted already. */
  onCrash(message: string): void;
}

type WorkerFactory = () => Worker;

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module', name: 'effectual-sim' });

/**
 * Main-thread side of the simulation worker. Stale work is cancelled by terminating the worker and
 * starting a fresh one (a synchronous simulation cannot be interrupted otherwise); a custom model is
 * re-sent to the new worker so nothing the user loaded is lost.
 */
export class SimClient {
  private worker!: Worker;
  private remote!: Comlink.Remote<SimWorkerApi>;
  private readonly pending = new Set<(reason: unknown) => void>();
  private computeToken = 0;
  private inFlight: { token: number; prepareKey: string; prepared: boolean } | null = null;
  private customBytes: ArrayBuffer | null = null;

  constructor(
    private readonly events: SimClientEvents,
    private readonly baseUrl: string,
    private readonly factory: WorkerFactory = defaultFactory,
    private readonly options: WorkerOptions = {},
  ) {
    this.start();
  }

  private start(): void {
    this.worker = this.factory();
    this.worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.restart();
      this.events.onCrash(event.message || 'the simulation worker stopped unexpectedly');
    });
    this.worker.addEventListener('messageerror', () => {
      this.restart();
      this.events.onCrash('the simulation worker sent a message that could not be read');
    });
    this.remote = Comlink.wrap<SimWorkerApi>(this.worker);
    void this.remote.init(this.baseUrl, this.options);
    if (this.customBytes) void this.remote.restoreCustomModel(this.customBytes.slice(0));
  }

  /** Drops the worker and everything it was doing; pending calls reject with Superseded. */
  restart(): void {
    this.worker.terminate();
    this.remote[Comlink.releaseProxy]();
    this.inFlight = null;
    const rejects = [...this.pending];
    this.pending.clear();
    for (const reject of rejects) reject(new Superseded());
    this.start();
  }

  dispose(): void {
    this.worker.terminate();
    for (const reject of this.pending) reject(new Superseded());
    this.pending.clear();
  }

  private call<T>(run: (remote: Comlink.Remote<SimWorkerApi>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.add(reject);
      run(this.remote).then(
        (v) => {
          this.pending.delete(reject);
          resolve(v);
        },
        (err: unknown) => {
          this.pending.delete(reject);
          reject(err);
        },
      );
    });
  }

  /**
   * The report of `config`. A newer call supersedes an older one: the older one rejects with
   * Superseded; the worker is restarted unless the old call had already finished inference for the same
   * network (then its simulation is simply left to finish and the prepared network stays cached).
   */
  async compute(config: SimConfig, onProgress?: (p: Progress) => void): Promise<SimReport> {
    const token = ++this.computeToken;
    const key = prepareKey(config);
    const previous = this.inFlight;
    if (previous && !(previous.prepared && previous.prepareKey === key)) this.restart();
    const flight = { token, prepareKey: key, prepared: false };
    this.inFlight = flight;
    const check = () => {
      if (this.computeToken !== token) throw new Superseded();
    };
    const progress = onProgress
      ? Comlink.proxy((p: Progress) => this.computeToken === token && onProgress(p))
      : undefined;
    try {
      // Sent together: a busy machine can take milliseconds to wake a thread for each message. The worker
      // answers prepare and simulate at once from a cached report, and simulate waits for its prepare.
      const cachedCall = this.call((r) => r.cachedReport(config));
      const prepareCall = this.call((r) => r.prepare(config, progress));
      const simulateCall = this.call((r) => r.simulate(config, progress));
      prepareCall.catch(() => undefined); // the first failure is reported below, once
      simulateCall.catch(() => undefined);
      const cached = await cachedCall;
      check();
      if (cached) return cached;
      await prepareCall;
      check();
      flight.prepared = true;
      const report = await simulateCall;
      check();
      return report;
    } finally {
      if (this.inFlight === flight) this.inFlight = null;
    }
  }

  trace(config: SimConfig, layer: string, model: ModelId, request: TraceRequest): Promise<TileTrace> {
    return this.call((r) => r.trace(config, layer, model, request));
  }

  details(config: SimConfig, layer: string): Promise<LayerDetails> {
    return this.call((r) => r.details(config, layer));
  }

  /** Browser tests only: see testHooks.ts (refused unless the client was made with `testHooks`). */
  injectFault(fault: TestFault): Promise<void> {
    return this.call((r) => r.injectFault(fault));
  }

  probeWorker(): Promise<RealmProbe> {
    return this.call((r) => r.probe());
  }

  /** Checks and installs a user's ONNX file; on error the previous model stays and the message says why. */
  async loadCustomModel(bytes: ArrayBuffer, config: SimConfig): Promise<CustomModelInfo> {
    const copy = bytes.slice(0);
    const info = await this.call((r) => r.loadCustomModel(Comlink.transfer(bytes, [bytes]), config));
    this.customBytes = copy;
    return info;
  }
}
