import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_MODELS } from '../sim/config';
import { parseDataset, type PipelineInputs } from '../sim/pipeline';
import { parseTtqSidecar } from '../sim/quant';

export const MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../public/models');
export const DATASET_FILE = join(MODELS_DIR, 'fmnist-test.bin');

function readBytes(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Model bytes, dataset and sidecars for a built-in name or an ONNX file path. */
export function loadInputs(model: string): PipelineInputs {
  if (model.endsWith('-synthetic')) return { modelBytes: null, source: 'synthetic (seeded)' };
  const builtin = (BUILTIN_MODELS as readonly string[]).includes(model);
  const path = builtin ? join(MODELS_DIR, `${model}.onnx`) : resolve(model);
  if (!existsSync(path))
    throw new Error(builtin ? `built-in model file missing: ${path}` : `model file not found: ${model}`);
  const inputs: PipelineInputs = { modelBytes: readBytes(path), source: builtin ? model : path };
  if (existsSync(DATASET_FILE)) inputs.dataset = parseDataset(readBytes(DATASET_FILE));
  const sidecar = path.replace(/\.onnx$/, '.scales.json');
  if (existsSync(sidecar)) inputs.ttqScales = parseTtqSidecar(JSON.parse(readFileSync(sidecar, 'utf8')));
  return inputs;
}

export function readModelCard(model: string): Record<string, unknown> | null {
  const path = join(MODELS_DIR, `${model}.card.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : null;
}
