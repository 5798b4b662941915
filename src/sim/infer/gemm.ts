/** Rows of the output handled together; weights are packed in panels of this many filters. */
export const PANEL = 4;

/**
 * Packs weights [K][D] into panels [ceil(K/4)][D][4] (missing filters are zero) so the kernel reads the
 * four filters of a panel from consecutive memory.
 */
export function packWeights(weights: ArrayLike<number>, K: number, D: number, packed: Float32Array): void {
  const panels = Math.ceil(K / PANEL);
  for (let b = 0; b < panels; b++) {
    for (let j = 0; j < PANEL; j++) {
      const k = b * PANEL + j;
      const base = b * D * PANEL + j;
      if (k >= K) {
        for (let d = 0; d < D; d++) packed[base + d * PANEL] = 0;
        continue;
      }
      for (let d = 0; d < D; d++) packed[base + d * PANEL] = weights[k * D + d];
    }
  }
}

/**
 * out[k][p] = bias[k] + sum_d W[k][d] * col[d][p] for k < 4*ceil(K/4) and pStart <= p < pEnd, where row d of
 * col starts at col[colOffset + rowOffsets[d]] (shifted views of the padded image or of its stride phases,
 * ./layout.ts) and out rows are outStride long.
 * A 4x4 register block: each loaded column value is used four times and each weight four times,
 * and the accumulators stay in float64 locals.
 */
export function gemmPacked(
  packed: Float32Array,
  bias: Float32Array,
  panels: number,
  D: number,
  col: Float32Array,
  colOffset: number,
  rowOffsets: Int32Array,
  pStart: number,
  pEnd: number,
  out: Float32Array,
  outOffset: number,
  outStride: number,
): void {
  const mainEnd = pEnd - ((pEnd - pStart) % 4);
  for (let b = 0; b < panels; b++) {
    const wBase = b * D * PANEL;
    const k = b * PANEL;
    const b0 = bias[k];
    const b1 = bias[k + 1];
    const b2 = bias[k + 2];
    const b3 = bias[k + 3];
    const o0 = outOffset + k * outStride;
    const o1 = o0 + outStride;
    const o2 = o1 + outStride;
    const o3 = o2 + outStride;
    // prettier-ignore
    for (let p = pStart; p < mainEnd; p += 4) {
      let a00 = b0, a01 = b0, a02 = b0, a03 = b0;
      let a10 = b1, a11 = b1, a12 = b1, a13 = b1;
      let a20 = b2, a21 = b2, a22 = b2, a23 = b2;
      let a30 = b3, a31 = b3, a32 = b3, a33 = b3;
      let wi = wBase;
      const base = colOffset + p;
      for (let d = 0; d < D; d++) {
        const ci = base + rowOffsets[d];
        const c0 = col[ci], c1 = col[ci + 1], c2 = col[ci + 2], c3 = col[ci + 3];
        const w0 = packed[wi], w1 = packed[wi + 1], w2 = packed[wi + 2], w3 = packed[wi + 3];
        a00 += w0 * c0; a01 += w0 * c1; a02 += w0 * c2; a03 += w0 * c3;
        a10 += w1 * c0; a11 += w1 * c1; a12 += w1 * c2; a13 += w1 * c3;
        a20 += w2 * c0; a21 += w2 * c1; a22 += w2 * c2; a23 += w2 * c3;
        a30 += w3 * c0; a31 += w3 * c1; a32 += w3 * c2; a33 += w3 * c3;
        wi += PANEL;
      }
      out[o0 + p] = a00; out[o0 + p + 1] = a01; out[o0 + p + 2] = a02; out[o0 + p + 3] = a03;
      out[o1 + p] = a10; out[o1 + p + 1] = a11; out[o1 + p + 2] = a12; out[o1 + p + 3] = a13;
      out[o2 + p] = a20; out[o2 + p + 1] = a21; out[o2 + p + 2] = a22; out[o2 + p + 3] = a23;
      out[o3 + p] = a30; out[o3 + p + 1] = a31; out[o3 + p + 2] = a32; out[o3 + p + 3] = a33;
    }
    for (let p = mainEnd; p < pEnd; p++) {
      let a0 = b0,
        a1 = b1,
        a2 = b2,
        a3 = b3;
      let wi = wBase;
      const base = colOffset + p;
      for (let d = 0; d < D; d++) {
        const c = col[base + rowOffsets[d]];
        a0 += packed[wi] * c;
        a1 += packed[wi + 1] * c;
        a2 += packed[wi + 2] * c;
        a3 += packed[wi + 3] * c;
        wi += PANEL;
      }
      out[o0 + p] = a0;
      out[o1 + p] = a1;
      out[o2 + p] = a2;
      out[o3 + p] = a3;
    }
  }
}
