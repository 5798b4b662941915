/** Messages between the benchmark page and its two inference workers (ours and onnxruntime-web). */

export type WorkerRequest =
  | { type: 'load'; modelUrl: string; threads: number; ortBaseUrl: string }
  | { type: 'run'; images: Float32Array; n: number; shape: number[] };

export type WorkerReply =
  | { type: 'loaded'; engine: string; loadMs: number }
  | { type: 'ran'; ms: number; logits: Float32Array }
  | { type: 'error'; message: string };

/** One request at a time per worker; the reply answers the request in flight. */
export class WorkerClient {
  private pending: ((reply: WorkerReply) => void) | null = null;

  constructor(private readonly worker: Worker) {
    worker.onmessage = (e: MessageEvent<WorkerReply>) => this.settle(e.data);
    worker.onerror = (e) => this.settle({ type: 'error', message: e.message || 'worker failed to start' });
  }

  call(request: WorkerRequest): Promise<WorkerReply> {
    if (this.pending) throw new Error('WorkerClient: a request is already in flight');
    return new Promise((resolve) => {
      this.pending = resolve;
      this.worker.postMessage(request);
    });
  }

  terminate(): void {
    this.worker.terminate();
  }

  private settle(reply: WorkerReply): void {
    const resolve = this.pending;
    this.pending = null;
    resolve?.(reply);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
