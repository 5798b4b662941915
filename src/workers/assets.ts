import { parseDataset, type Dataset, type PipelineInputs } from '../sim/pipeline';

/**
 * Fetches the files a built-in model needs, relative to the page: models/<name>.onnx, the optional TTQ
 * scales sidecar and the shipped test set. Results are memoised for the worker's lifetime.
 */
const SYNTHETIC = /-synthetic$/;

async function fetchBytes(url: URL, optional: boolean): Promise<Uint8Array | null> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: 'application/octet-stream, application/json' } });
  } catch (err) {
    throw new Error(`Could not fetch ${url.pathname}: ${err instanceof Error ? err.message : String(err)}`);
  }
  // A static server's single-page fallback answers missing files with index.html.
  const isHtml = (res.headers.get('content-type') ?? '').includes('text/html');
  if (!res.ok || isHtml) {
    if (optional) return null;
    throw new Error(
      `Could not load ${url.pathname} (${res.ok ? 'not found' : `${res.status} ${res.statusText}`})`,
    );
  }
  return new Uint8Array(await res.arrayBuffer());
}

export class AssetStore {
  private baseUrl = '';
  private readonly files = new Map<string, Promise<Uint8Array | null>>();
  private dataset: Promise<Dataset | undefined> | null = null;

  setBase(baseUrl: string): void {
    this.baseUrl = baseUrl;
  }

  private file(path: string, optional: boolean): Promise<Uint8Array | null> {
    let p = this.files.get(path);
    if (!p) {
      p = fetchBytes(new URL(path, this.baseUrl || self.location.href), optional);
      p.catch(() => this.files.delete(path)); // allow a retry after a failure
      this.files.set(path, p);
    }
    return p;
  }

  private loadDataset(): Promise<Dataset | undefined> {
    if (!this.dataset) {
      this.dataset = this.file('models/fmnist-test.bin', true).then((bytes) =>
        bytes ? parseDataset(bytes) : undefined,
      );
      this.dataset.catch(() => (this.dataset = null));
    }
    return this.dataset;
  }

  /**
   * Drops a model's fetched files, so that the next use fetches them again: a file that arrived damaged
   * (a truncated download) must not stay in the way of a retry.
   */
  forgetModel(model: string): void {
    this.files.delete(`models/${model}.onnx`);
    this.files.delete(`models/${model}.scales.json`);
  }

  /** Inputs for a built-in model; `custom` supplies the bytes of a user's ONNX file. */
  async inputsFor(model: string, custom: Uint8Array | null): Promise<PipelineInputs> {
    if (SYNTHETIC.test(model)) return { modelBytes: null };
    const dataset = await this.loadDataset();
    if (model === 'custom') {
      if (!custom) throw new Error('No custom model is loaded');
      return { modelBytes: custom, dataset };
    }
    // Only TTQ models may ship learned scales; asking for others would log needless 404s.
    const [modelBytes, scales] = await Promise.all([
      this.file(`models/${model}.onnx`, false),
      model.endsWith('-ttq') ? this.file(`models/${model}.scales.json`, true) : Promise.resolve(null),
    ]);
    const inputs: PipelineInputs = { modelBytes, dataset };
    if (scales)
      inputs.ttqScales = JSON.parse(new TextDecoder().decode(scales)) as PipelineInputs['ttqScales'];
    return inputs;
  }
}
