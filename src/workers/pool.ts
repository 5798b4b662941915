import type { LayerWork } from '../sim/types';
import type { LayerResult, ModelId } from '../sim/accel/types';
import { runJob, type FromHelper, type SimJob, type ToHelper } from './poolJobs';

/** Results by layer index then model id: what simulateNetwork takes as `precomputed`. */
export type Precomputed = Array<Partial<Record<ModelId, LayerResult>>>;

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
  layers: LayerWork[];
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
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Runs the accelerator models of one simulation on helper workers and on the calling worker at once. The
 * helpers take the biggest jobs first, the caller the smallest; results are stored by (layer, model), so
 * they do not depend on who ran what or in which order, and simulateNetwork assembles the report in its
 * own fixed order. A job a helper cannot run (an exception) is run again locally, where it throws as it
 * would without the pool; a helper that dies has its jobs handed out again.
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

  /** Runs `jobs` on `layers` (identified by `key`: equal keys must mean equal layers). */
  async run(
    key: string,
    layers: LayerWork[],
    jobs: SimJob[],
    onJobDone?: (done: number, total: number) => void,
  ): Promise<Precomputed> {
    const run: Run = {
      key,
      layers,
      queue: [...jobs],
      local: [],
      results: layers.map(() => ({})),
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
        this.record(run, job, runJob(layers, job));
        await nextTurn();
      } else {
        await new Promise<void>((resolve) => (run.wake = resolve));
        run.wake = null;
      }
    }
    return run.results;
  }

  private record(run: Run, job: SimJob, result: LayerResult): void {
    run.results[job.layer][job.model] = result;
    run.done++;
    run.onJobDone?.(run.done, run.total);
  }

  private dispatch(run: Run): void {
    for (const helper of this.helpers) {
      while (helper.alive && helper.inFlight.size < WINDOW && run.queue.length > 0) {
        const job = run.queue.shift()!;
        if (helper.key !== run.key) {
          helper.port.postMessage({ kind: 'network', key: run.key, layers: run.layers });
          helper.key = run.key;
        }
        const id = this.nextJob++;
        helper.inFlight.set(id, { run, job });
        run.outstanding++;
        helper.port.postMessage({
          kind: 'job',
          key: run.key,
          job: id,
          layer: job.layer,
          model: job.model,
          params: job.params,
        });
      }
    }
  }

  private onMessage(helper: Helper, msg: FromHelper): void {
    const entry = helper.inFlight.get(msg.job);
    if (!entry) return;
    helper.inFlight.delete(msg.job);
    const { run, job } = entry;
    run.outstanding--;
    if (msg.kind === 'result') this.record(run, job, msg.result);
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
