/** Our inference engine (src/sim/infer) in a Web Worker, as the app runs it. */
import { createEngine, type Engine } from '../../src/sim/infer';
import { loadOnnxModel } from '../../src/sim/model';
import { errorMessage, type WorkerReply, type WorkerRequest } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let engine: Engine | null = null;

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if (request.type === 'load') {
    const start = performance.now();
    const bytes = new Uint8Array(await (await fetch(request.modelUrl)).arrayBuffer());
    engine = createEngine(loadOnnxModel(bytes));
    const ternary = engine.ternaryLayers.length;
    const label = `effectual (${engine.kernel}${ternary ? `, ${ternary} ternary conv layers` : ''})`;
    return { type: 'loaded', engine: label, loadMs: performance.now() - start };
  }
  if (!engine) throw new Error('no model loaded');
  const start = performance.now();
  const { logits } = engine.run(request.images, request.n);
  return { type: 'ran', ms: performance.now() - start, logits };
}

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
  handle(e.data).then(
    (reply) => scope.postMessage(reply),
    (error: unknown) =>
      scope.postMessage({ type: 'error', message: errorMessage(error) } satisfies WorkerReply),
  );
};
