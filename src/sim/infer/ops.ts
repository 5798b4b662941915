/** Element-wise and pooling kernels over a batch stored NCHW in Float32Arrays. */

/** y = x * mul[c] + add[c] with `spatial` elements per channel. */
export function affinePerChannel(
  src: Float32Array,
  dst: Float32Array,
  n: number,
  C: number,
  spatial: number,
  mul: Float64Array,
  add: Float64Array,
): void {
  let i = 0;
  for (let img = 0; img < n; img++) {
    for (let c = 0; c < C; c++) {
      const m = mul[c];
      const a = add[c];
      const end = i + spatial;
      for (; i < end; i++) dst[i] = src[i] * m + a;
    }
  }
}

/**
 * y = x > theta ? x : 0 (theta = 0 is the ordinary ReLU; ONNX ThresholdedRelu with alpha = theta).
 * Written as a bit mask on the float's bits: about half the activations go each way at random, and a branch
 * per element mispredicts so often that the loop was several times slower.
 */
export function threshold(src: Float32Array, dst: Float32Array, length: number, theta: number): void {
  const bitsIn = new Int32Array(src.buffer, src.byteOffset, length);
  const bitsOut = new Int32Array(dst.buffer, dst.byteOffset, length);
  for (let i = 0; i < length; i++) bitsOut[i] = bitsIn[i] & -(src[i] > theta);
}

/** Population standard deviation over the first `length` values. */
export function standardDeviation(values: Float32Array, length: number): number {
  if (length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < length; i++) sum += values[i];
  const mean = sum / length;
  let squares = 0;
  for (let i = 0; i < length; i++) {
    const d = values[i] - mean;
    squares += d * d;
  }
  return Math.sqrt(squares / length);
}

export function addTensors(a: Float32Array, b: Float32Array, dst: Float32Array, length: number): void {
  for (let i = 0; i < length; i++) dst[i] = a[i] + b[i];
}

/** Adds a per-image constant (already broadcast to the image's shape) to every image. */
export function addPerImage(a: Float32Array, constant: Float32Array, dst: Float32Array, n: number): void {
  const size = constant.length;
  for (let img = 0, base = 0; img < n; img++, base += size) {
    for (let i = 0; i < size; i++) dst[base + i] = a[base + i] + constant[i];
  }
}

export interface PoolShape {
  C: number;
  H: number;
  W: number;
  Oh: number;
  Ow: number;
  kernel: [number, number];
  strides: [number, number];
  /** top, left, bottom, right */
  pads: [number, number, number, number];
  countIncludePad: boolean;
}

/** Max or average pooling; padded positions never win a max and count only with countIncludePad. */
export function pool(src: Float32Array, dst: Float32Array, n: number, s: PoolShape, isMax: boolean): void {
  const { C, H, W, Oh, Ow, kernel, strides, pads } = s;
  let o = 0;
  for (let plane = 0; plane < n * C; plane++) {
    const base = plane * H * W;
    for (let oy = 0; oy < Oh; oy++) {
      const y0 = oy * strides[0] - pads[0];
      const yStart = Math.max(0, y0);
      const yEnd = Math.min(H, y0 + kernel[0]);
      for (let ox = 0; ox < Ow; ox++) {
        const x0 = ox * strides[1] - pads[1];
        const xStart = Math.max(0, x0);
        const xEnd = Math.min(W, x0 + kernel[1]);
        let acc = isMax ? -Infinity : 0;
        for (let y = yStart; y < yEnd; y++) {
          const row = base + y * W;
          for (let x = xStart; x < xEnd; x++) {
            const v = src[row + x];
            if (isMax) acc = v > acc ? v : acc;
            else acc += v;
          }
        }
        if (!isMax) {
          const count = s.countIncludePad ? kernel[0] * kernel[1] : (yEnd - yStart) * (xEnd - xStart);
          acc /= count;
        }
        dst[o++] = acc;
      }
    }
  }
}

export function globalAveragePool(
  src: Float32Array,
  dst: Float32Array,
  planes: number,
  spatial: number,
): void {
  for (let plane = 0; plane < planes; plane++) {
    let sum = 0;
    const base = plane * spatial;
    for (let i = 0; i < spatial; i++) sum += src[base + i];
    dst[plane] = sum / spatial;
  }
}

/** y[n][o] = bias[o] + sum_i W[o][i] * x[n][i] */
export function fullyConnected(
  src: Float32Array,
  dst: Float32Array,
  n: number,
  inFeatures: number,
  outFeatures: number,
  weights: Float32Array,
  bias: Float64Array,
): void {
  for (let img = 0; img < n; img++) {
    const x = img * inFeatures;
    for (let o = 0; o < outFeatures; o++) {
      let acc = bias[o];
      const w = o * inFeatures;
      for (let i = 0; i < inFeatures; i++) acc += weights[w + i] * src[x + i];
      dst[img * outFeatures + o] = acc;
    }
  }
}
