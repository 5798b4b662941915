import type { SimConfig } from '../sim/config';
import type { SimReport } from '../sim/report';
import type { LayerDetails, Progress } from '../sim/pipeline';
import type { ModelId, TileTrace, TraceRequest } from '../sim/accel/types';
import type { RealmProbe, TestFault } from './testHooks';

/** What the simulation worker exposes through Comlink. All arguments and results are structured-clone data. */
export interface SimWorkerApi {
  /** Page base URL, so that `models/...` resolves against the page and not the worker script. */
  init(baseUrl: string, options?: WorkerOptions): void;
  /** Inference + quantisation (cached by model, images, offset, seed, quantisation). */
  prepare(config: SimConfig, onProgress?: (p: Progress) => void): Promise<PrepareSummary>;
  /** Runs the accelerator models (prepares first if needed; reports are cached per configuration). */
  simulate(config: SimConfig, onProgress?: (p: Progress) => void): Promise<SimReport>;
  trace(config: SimConfig, layer: string, model: ModelId, request: TraceRequest): Promise<TileTrace>;
  details(config: SimConfig, layer: string): Promise<LayerDetails>;
  /** The cached report of this configuration, if any (no work is done). */
  cachedReport(config: SimConfig): SimReport | null;
  /** Re-installs a custom model after a worker restart (already checked, so no preparation). */
  restoreCustomModel(bytes: ArrayBuffer): void;
  /** Checks an ONNX file by preparing it under `config` (with model 'custom'); keeps the previous one on error. */
  loadCustomModel(bytes: ArrayBuffer, config: SimConfig): Promise<CustomModelInfo>;
  /** Provokes a fault (browser tests only; refused unless `init` enabled test hooks). */
  injectFault(fault: TestFault): void;
  /** What the worker's realm allows under the CSP (browser tests only, like `injectFault`). */
  probe(): RealmProbe;
}

export interface WorkerOptions {
  /** Allows `injectFault` (the page was opened with `?testHooks`). */
  testHooks?: boolean;
}

export interface PrepareSummary {
  layers: Array<{ name: string; kind: string }>;
  accuracy?: { images: number; float: number; quantized: number };
  cached: boolean;
}

export interface CustomModelInfo {
  layers: number;
  bytes: number;
}
