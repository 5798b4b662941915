/**
 * Thread CPU time of the app's page and its workers, from a Chrome trace (CDP Tracing). On a shared,
 * loaded machine the wall-clock figures of the interactivity part mostly measure how long the page's
 * threads wait for a core; the thread times say how much work the page itself did.
 */
import type { CDPSession, Page } from '@playwright/test';

/** What the trace records: every top-level task with its thread time, and a mark to align the clocks. */
const CATEGORIES = 'toplevel,blink.user_timing,__metadata';
const SYNC_MARK = 'effectual-bench-sync';
const TASK = 'ThreadControllerImpl::RunTask';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export interface ThreadCpu {
  /** CPU time of the page's main thread, ms. */
  mainMs: number;
  /** CPU time of all dedicated workers (the simulation worker and its helpers), ms. */
  workersMs: number;
  /** The longest main-thread task: wall time and its CPU time, ms. */
  longestTaskMs: number;
  longestTaskCpuMs: number;
  /** Main-thread tasks in the interval. */
  tasks: number;
}

export interface CpuTrace {
  /** Thread times between two page timestamps (performance.now() of the page). */
  between(from: number, to: number): ThreadCpu;
}

export async function startCpuTrace(page: Page): Promise<() => Promise<CpuTrace>> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (d) => {
    events.push(...(d.value as unknown as TraceEvent[]));
  });
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  const syncAt = (await page.evaluate(`performance.mark('${SYNC_MARK}').startTime`)) as number;
  return async () => {
    const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.end');
    await done;
    await cdp.detach();
    return analyse(events, syncAt);
  };
}

function analyse(events: TraceEvent[], syncAt: number): CpuTrace {
  const sync = events.find((e) => e.name === SYNC_MARK);
  if (!sync) throw new Error('the trace has no clock mark');
  const offsetMs = sync.ts / 1000 - syncAt;
  const threads = new Map<number, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name' && e.pid === sync.pid)
      threads.set(e.tid, e.args?.name ?? '');
  const tasks = events.filter((e) => e.pid === sync.pid && e.ph === 'X' && e.name === TASK);
  const mainTid = sync.tid;
  return {
    between(from, to) {
      const out: ThreadCpu = { mainMs: 0, workersMs: 0, longestTaskMs: 0, longestTaskCpuMs: 0, tasks: 0 };
      for (const e of tasks) {
        const start = e.ts / 1000 - offsetMs;
        const end = start + (e.dur ?? 0) / 1000;
        if (end < from || start > to) continue;
        const cpu = (e.tdur ?? 0) / 1000;
        if (e.tid === mainTid) {
          out.mainMs += cpu;
          out.tasks++;
          if ((e.dur ?? 0) / 1000 > out.longestTaskMs) {
            out.longestTaskMs = (e.dur ?? 0) / 1000;
            out.longestTaskCpuMs = cpu;
          }
        } else if ((threads.get(e.tid) ?? '').startsWith('DedicatedWorker')) out.workersMs += cpu;
      }
      return out;
    },
  };
}
