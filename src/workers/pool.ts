import type { SimConfig } from '../sim/config';
import { simulateLayerReport, type PreparedNetwork } from '../sim/pipeline';
import type { LayerReport } from '../sim/report';
import { helperNetwork, type FromHelper, type SimJob, type ToHelper } from './poolJobs';

/** Layers of the report by index: what simulateNetwork takes as `precomputed`. */
export type Precomputed = LayerReport[];

/** What the pool needs of a helper worker (a Worker, or a stand-in in tests). */
export interface HelperPort {
  postMessage(msg: ToHelper): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<FromHelper>) => void): void;
  addEventListener(type: 'error' | 'messageerror', fn: (e: Event) => void): void;
  terminate(): void;
}

/** Jobs a helper holds at once, so that it never waits for the next one to arrive. */
const WINDOW = 2;

interface Run {
  key: string;
  prepared: PreparedNetwork;
  /** The network as helpers get it (helperNetwork), made when the first one needs it. */
  forHelpers?: PreparedNetwork;
  config: SimConfig;
  queue: SimJob[];
  /** Jobs a helper failed on: run by the caller only. */
  local: SimJob[];
  results: Precomputed;
  outstanding: number;
  done: number;
  total: number;
  wake: (() => void) | null;
  onJobDone?: (done: number, total: number) => void;
}

interface Helper {
  port: HelperPort;
  alive: boolean;
  /** Key of the network it holds. */
  key: string | null;
  inFlight: Map<number, { run: Run; job: SimJob }>;
}

/** A macrotask turn, so that helpers' answers are handled between two local jobs. */
const turns: Array<() => void> = [];
let turnChannel: MessageChannel | null = null;
function nextTurn(): Promise<void> {
  if (!turnChannel) {
    turnChannel = new MessageChannel();
    turnChannel.port1.onmessage = () => turns.shift()?.();
  }
  const channel = turnChannel;
  return new Promise((resolve) => {
    turns.push(resolve);
    channel.port2.postMessage(null);
  });
}

/**
 * Simulates the layers of one network on helper workers and on the calling worker at once. The helpers
 * take the biggest layers first, the caller the smallest; results are stored by layer index, so they do
 * not depend on who ran what or in which order, and simulateNetwork assembles the report in its own fixed
 * order. A layer a helper cannot run (an exception) is run again locally, where it throws as it would
 * without the pool; a helper that dies has its layers handed out again.
 */
export class SimPool {
  private readonly helpers: Helper[] = [];
  private nextJob = 0;

  constructor(factory: () => HelperPort, size: number) {
    for (let i = 0; i < size; i++) {
      let port: HelperPort;
      try {
        port = factory();
      } catch {
        break; // no nested workers here: the caller does all the work
      }
      const helper: Helper = { port, alive: true, key: null, inFlight: new Map() };
      port.addEventListener('message', (e) => this.onMessage(helper, e.data));
      port.addEventListener('error', (e) => {
        e.preventDefault?.();
        this.onDeath(helper);
      });
      port.addEventListener('messageerror', () => this.onDeath(helper));
      this.helpers.push(helper);
    }
  }

  get size(): number {
    return this.helpers.filter((h) => h.alive).length;
  }

  dispose(): void {
    for (const h of this.helpers) {
      h.alive = false;
      h.port.terminate();
    }
  }

  /** Runs `jobs` on `prepared` (identified by `key`: equal keys must mean equal networks). */
  async run(
    key: string,
    prepared: PreparedNetwork,
    config: SimConfig,
    jobs: SimJob[],
    onJobDone?: (done: number, total: number) => void,
  ): Promise<Precomputed> {
    const run: Run = {
      key,
      prepared,
      config,
      queue: [...jobs],
      local: [],
      results: new Array<LayerReport>(prepared.layers.length),
      outstanding: 0,
      done: 0,
      total: jobs.length,
      wake: null,
      onJobDone,
    };
    this.dispatch(run);
    while (run.local.length > 0 || run.queue.length > 0 || run.outstanding > 0) {
      const job = run.local.pop() ?? run.queue.pop();
      if (job) {
        let layer: LayerReport;
        try {
          layer = simulateLayerReport(prepared, config, job.layer);
        } catch (err) {
          run.queue.length = 0; // hand out nothing more for a run that has failed
          run.local.length = 0;
          throw err;
        }
        this.record(run, job, layer);
        await nextTurn();
      } else {
        await new Promise<void>((resolve) => (run.wake = resolve));
        run.wake = null;
      }
    }
    return run.results;
  }

  private record(run: Run, job: SimJob, layer: LayerReport): void {
    run.results[job.layer] = layer;
    run.done++;
    run.onJobDone?.(run.done, run.total);
  }

  private dispatch(run: Run): void {
    for (const helper of this.helpers) {
      while (helper.alive && helper.inFlight.size < WINDOW && run.queue.length > 0) {
        const job = run.queue.shift()!;
        if (helper.key !== run.key) {
          run.forHelpers ??= helperNetwork(run.prepared);
          helper.port.postMessage({ kind: 'network', key: run.key, prepared: run.forHelpers });
          helper.key = run.key;
        }
        const id = this.nextJob++;
        helper.inFlight.set(id, { run, job });
        run.outstanding++;
        helper.port.postMessage({ kind: 'job', key: run.key, job: id, layer: job.layer, config: run.config });
      }
    }
  }

  private onMessage(helper: Helper, msg: FromHelper): void {
    const entry = helper.inFlight.get(msg.job);
    if (!entry) return;
    helper.inFlight.delete(msg.job);
    const { run, job } = entry;
    run.outstanding--;
    if (msg.kind === 'result') this.record(run, job, msg.layer);
    else run.local.push(job); // a genuine error then surfaces exactly as it would without the pool
    this.dispatch(run);
    run.wake?.();
  }

  private onDeath(helper: Helper): void {
    if (!helper.alive) return;
    helper.alive = false;
    helper.port.terminate();
    const runs = new Set<Run>();
    for (const { run, job } of helper.inFlight.values()) {
      run.outstanding--;
      run.queue.push(job);
      runs.add(run);
    }
    helper.inFlight.clear();
    for (const run of runs) {
      this.dispatch(run);
      run.wake?.();
    }
  }
}
