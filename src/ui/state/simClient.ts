import { SimClient } from '../../workers/client';
import { useApp } from './store';

let client: SimClient | null = null;

/** The page's one simulation worker client; a crash is shown in the page and the worker restarted. */
export function getSimClient(): SimClient {
  if (!client) {
    client = new SimClient(
      { onCrash: (message) => useApp.getState().set({ crash: message, computing: false, progress: null }) },
      new URL('./', document.baseURI).href,
    );
  }
  return client;
}
