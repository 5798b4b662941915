import { helperHandler, type ToHelper } from './poolJobs';

/** A helper of the simulation worker's pool: runs accelerator models on the network it was last sent. */
const handle = helperHandler((msg) => self.postMessage(msg));
self.addEventListener('message', (e: MessageEvent<ToHelper>) => handle(e.data));
