import type { Dataset } from './pipeline';

const MAGIC = 'EFDS';
const HEADER_BYTES = 4 + 5 * 4 + 2 * 4;

/**
 * Parses the shipped test-set file written by training/export.py:
 * "EFDS", u32 version=1, count, C, H, W, f32 mean, f32 std, then count labels (u8) and count*C*H*W pixels (u8).
 * Pixels are normalised as the models expect: (p/255 - mean) / std.
 */
export function parseDataset(bytes: Uint8Array): Dataset {
  if (bytes.length < HEADER_BYTES || String.fromCharCode(...bytes.subarray(0, 4)) !== MAGIC)
    throw new Error('not an Effectual dataset file (expected the EFDS header of public/models/fmnist-test.bin)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== 1) throw new Error(`unsupported dataset version ${version} (expected 1)`);
  const count = view.getUint32(8, true);
  const C = view.getUint32(12, true);
  const H = view.getUint32(16, true);
  const W = view.getUint32(20, true);
  const mean = view.getFloat32(24, true);
  const std = view.getFloat32(28, true);
  const pixels = count * C * H * W;
  if (bytes.length !== HEADER_BYTES + count + pixels)
    throw new Error(`dataset file is ${bytes.length} bytes, expected ${HEADER_BYTES + count + pixels} for ${count} images of ${C}x${H}x${W}`);
  const labels = bytes.slice(HEADER_BYTES, HEADER_BYTES + count);
  const raw = bytes.subarray(HEADER_BYTES + count);
  const images = new Float32Array(pixels);
  for (let i = 0; i < pixels; i++) images[i] = (raw[i] / 255 - mean) / std;
  return { count, shape: [C, H, W], images, labels };
}

/** Images [offset, offset + n) of a dataset, clamped to what it holds. */
export function sliceDataset(d: Dataset, offset: number, n: number): { images: Float32Array; labels: Uint8Array; n: number } {
  const per = d.shape[0] * d.shape[1] * d.shape[2];
  const start = Math.min(Math.max(0, offset), d.count);
  const end = Math.min(d.count, start + Math.max(0, n));
  return { images: d.images.subarray(start * per, end * per), labels: d.labels.subarray(start, end), n: end - start };
}
