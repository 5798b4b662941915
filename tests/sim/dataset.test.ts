import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDataset, sliceDataset } from '../../src/sim/dataset';

interface Header {
  magic?: string;
  version?: number;
  count: number;
  C: number;
  H: number;
  W: number;
  mean: number;
  std: number;
}

/** "EFDS", u32 version, count, C, H, W, f32 mean, f32 std (little-endian), labels (u8), pixels (u8). */
function buildDataset(h: Header, labels: number[], pixels: number[], trailing = 0): Uint8Array {
  const header = 4 + 5 * 4 + 2 * 4;
  const bytes = new Uint8Array(header + labels.length + pixels.length + trailing);
  const view = new DataView(bytes.buffer);
  const magic = h.magic ?? 'EFDS';
  for (let i = 0; i < 4; i++) bytes[i] = magic.charCodeAt(i);
  [h.version ?? 1, h.count, h.C, h.H, h.W].forEach((v, i) => view.setUint32(4 + 4 * i, v, true));
  view.setFloat32(24, h.mean, true);
  view.setFloat32(28, h.std, true);
  bytes.set(labels, header);
  bytes.set(pixels, header + labels.length);
  return bytes;
}

const HEADER: Header = { count: 2, C: 1, H: 2, W: 3, mean: 0.25, std: 0.5 };
const PIXELS = [0, 255, 51, 102, 128, 7, 1, 2, 3, 4, 5, 254];

describe('parseDataset', () => {
  it('reads a hand-built file and normalises (p/255 - mean)/std', () => {
    const d = parseDataset(buildDataset(HEADER, [3, 9], PIXELS));
    expect(d.count).toBe(2);
    expect(d.shape).toEqual([1, 2, 3]);
    expect(Array.from(d.labels)).toEqual([3, 9]);
    expect(d.images).toBeInstanceOf(Float32Array);
    expect(d.images.length).toBe(12);
    // mean 0.25 and std 0.5 are exact in float32: 0 -> -0.5, 255 -> 1.5, 51 -> (0.2 - 0.25)/0.5 = -0.1
    expect(d.images[0]).toBe(-0.5);
    expect(d.images[1]).toBe(1.5);
    PIXELS.forEach((p, i) => expect(d.images[i]).toBe(Math.fround((p / 255 - 0.25) / 0.5)));
  });

  it('reads mean and std as float32', () => {
    const d = parseDataset(buildDataset({ ...HEADER, mean: 0.286, std: 0.353 }, [0, 1], PIXELS));
    const mean = Math.fround(0.286);
    const std = Math.fround(0.353);
    PIXELS.forEach((p, i) => expect(d.images[i]).toBe(Math.fround((p / 255 - mean) / std)));
  });

  it('parses a view into a larger buffer (byteOffset != 0)', () => {
    const file = buildDataset(HEADER, [3, 9], PIXELS);
    const outer = new Uint8Array(file.length + 5);
    outer.set(file, 5);
    const d = parseDataset(outer.subarray(5));
    expect(Array.from(d.labels)).toEqual([3, 9]);
    expect(d.images[1]).toBe(1.5);
  });

  it('names the problem: bad magic, short file, version, wrong length', () => {
    expect(() => parseDataset(buildDataset({ ...HEADER, magic: 'ONNX' }, [3, 9], PIXELS))).toThrow(
      /not an Effectual dataset file \(expected the EFDS header/,
    );
    expect(() => parseDataset(new Uint8Array([0x45, 0x46, 0x44, 0x53]))).toThrow(/EFDS header/);
    expect(() => parseDataset(buildDataset({ ...HEADER, version: 2 }, [3, 9], PIXELS))).toThrow(
      /unsupported dataset version 2 \(expected 1\)/,
    );
    expect(() => parseDataset(buildDataset(HEADER, [3, 9], PIXELS.slice(1)))).toThrow(
      /dataset file is 45 bytes, expected 46 for 2 images of 1x2x3/,
    );
    expect(() => parseDataset(buildDataset(HEADER, [3, 9], PIXELS, 1))).toThrow(/is 47 bytes, expected 46/);
  });
});

describe('sliceDataset', () => {
  const d = parseDataset(
    buildDataset({ ...HEADER, count: 3, H: 1, W: 2 }, [0, 1, 2], [10, 11, 20, 21, 30, 31]),
  );

  it('returns images [offset, offset + n), clamped to the set', () => {
    const s = sliceDataset(d, 1, 1);
    expect(s.n).toBe(1);
    expect(Array.from(s.labels)).toEqual([1]);
    expect(Array.from(s.images)).toEqual(Array.from(d.images.subarray(2, 4)));
    expect(sliceDataset(d, 2, 10).n).toBe(1);
    expect(sliceDataset(d, 5, 1).n).toBe(0);
    expect(sliceDataset(d, -3, 2).labels).toEqual(Uint8Array.from([0, 1]));
    expect(sliceDataset(d, 0, -1).n).toBe(0);
  });
});

describe('the shipped test set public/models/fmnist-test.bin', () => {
  const file = readFileSync(resolve(__dirname, '../../public/models/fmnist-test.bin'));
  const d = parseDataset(new Uint8Array(file.buffer, file.byteOffset, file.byteLength));

  it('holds 1,000 Fashion-MNIST images of 1x28x28 with labels 0..9', () => {
    expect(d.count).toBe(1000);
    expect(d.shape).toEqual([1, 28, 28]);
    expect(d.images.length).toBe(1000 * 28 * 28);
    expect(d.labels.length).toBe(1000);
    const classes = new Set(d.labels);
    expect([...classes].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('is normalised: finite values, roughly zero mean and unit spread', () => {
    let sum = 0;
    let sq = 0;
    let finite = 0;
    for (const v of d.images) {
      if (Number.isFinite(v)) finite++;
      sum += v;
      sq += v * v;
    }
    expect(finite).toBe(d.images.length);
    const mean = sum / d.images.length;
    const std = Math.sqrt(sq / d.images.length - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(std).toBeGreaterThan(0.8);
    expect(std).toBeLessThan(1.2);
  });
});
