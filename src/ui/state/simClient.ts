import { SimClient } from '../../workers/client';
import type { RealmProbe, TestFault } from '../../workers/testHooks';
import { useApp } from './store';

let client: SimClient | null = null;

/** What a page opened with `?testHooks` puts on `window.__effectualTest` for the browser tests. */
export interface EffectualTestHooks {
  injectFault(fault: TestFault): Promise<void>;
  probeWorker(): Promise<RealmProbe>;
}

function testHooksRequested(): boolean {
  return new URLSearchParams(window.location.search).has('testHooks');
}

/** The page's one simulation worker client; a crash is shown in the page and the worker restarted. */
export function getSimClient(): SimClient {
  if (!client) {
    const testHooks = testHooksRequested();
    const created = new SimClient(
      { onCrash: (message) => useApp.getState().set({ crash: message, computing: false, progress: null }) },
      new URL('./', document.baseURI).href,
      undefined,
      { testHooks },
    );
    client = created;
    if (testHooks) {
      const hooks: EffectualTestHooks = {
        injectFault: (fault) => created.injectFault(fault),
        probeWorker: () => created.probeWorker(),
      };
      (window as unknown as { __effectualTest?: EffectualTestHooks }).__effectualTest = hooks;
    }
  }
  return client;
}
