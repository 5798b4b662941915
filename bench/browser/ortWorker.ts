/** onnxruntime-web (WebAssembly backend) in a Web Worker, with the thread count the page asks for. */
import * as ort from 'onnxruntime-web/wasm';
import { errorMessage, type WorkerReply, type WorkerRequest } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let session: ort.InferenceSession | null = null;

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if (request.type === 'load') {
    const start = performance.now();
    ort.env.wasm.numThreads = request.threads;
    ort.env.wasm.proxy = false;
    // The runtime's .wasm is served by the benchmark server from node_modules: no network access.
    ort.env.wasm.wasmPaths = request.ortBaseUrl;
    const bytes = new Uint8Array(await (await fetch(request.modelUrl)).arrayBuffer());
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
    });
    return {
      type: 'loaded',
      engine: `onnxruntime-web ${ort.env.versions.web ?? ''} (wasm)`.trim(),
      loadMs: performance.now() - start,
    };
  }
  if (!session) throw new Error('no model loaded');
  const start = performance.now();
  const input = new ort.Tensor('float32', request.images, [request.n, ...request.shape]);
  const out = await session.run({ [session.inputNames[0]]: input });
  const ms = performance.now() - start;
  const logits = out[session.outputNames[0]].data as Float32Array;
  return { type: 'ran', ms, logits: logits.slice() };
}

scope.onmessage = (e: MessageEvent<WorkerRequest>) => {
  handle(e.data).then(
    (reply) => scope.postMessage(reply),
    (error: unknown) =>
      scope.postMessage({ type: 'error', message: errorMessage(error) } satisfies WorkerReply),
  );
};
