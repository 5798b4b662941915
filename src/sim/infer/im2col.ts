/** Geometry of one convolution on one image. */
export interface ConvShape {
  C: number;
  H: number;
  W: number;
  K: number;
  Kh: number;
  Kw: number;
  stride: number;
  pad: number;
  Oh: number;
  Ow: number;
}

/**
 * How the GEMM sees the convolution's input: row d = (c*Kh + i)*Kw + j (PyTorch weight order) of the virtual
 * [D][columns] matrix starts at source[rowOffsets[d]].
 *
 * Stride 1 ("shifted"): the source is the zero-padded image [C][Hp][Wp] and row d is that image shifted by
 * (c, i, j); column q = oy*Wp + ox, so each output row carries Wp - Ow junk columns that are dropped later.
 * This avoids building an im2col matrix (Kh*Kw times the image) for the common 3x3 case.
 * Larger strides: an explicit im2col matrix, columns = Oh*Ow.
 */
export interface ConvLayout {
  shifted: boolean;
  D: number;
  rowOffsets: Int32Array;
  /** Columns the GEMM computes: Oh*rowPitch rounded up to a multiple of COLUMN_GROUP (the extra ones are junk). */
  columns: number;
  /** Elements of the source buffer, including the zero tail read by the junk columns of the last rows. */
  sourceLength: number;
  /** Where that zero tail starts. */
  dataLength: number;
  /** Padded width (shifted) or Ow: the stride between output rows inside the GEMM result. */
  rowPitch: number;
  /** 1x1, stride 1, no padding, no junk columns: the image itself can serve as the source. */
  direct: boolean;
}

/** The GEMM kernels work on groups of this many columns. */
export const COLUMN_GROUP = 8;

const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

export function convLayout(s: ConvShape): ConvLayout {
  const D = s.C * s.Kh * s.Kw;
  const rowOffsets = new Int32Array(D);
  if (s.stride === 1) {
    const Hp = s.H + 2 * s.pad;
    const Wp = s.W + 2 * s.pad;
    let d = 0;
    for (let c = 0; c < s.C; c++)
      for (let i = 0; i < s.Kh; i++)
        for (let j = 0; j < s.Kw; j++) rowOffsets[d++] = c * Hp * Wp + i * Wp + j;
    const columns = roundUp(s.Oh * Wp, COLUMN_GROUP);
    const dataLength = s.C * Hp * Wp;
    const sourceLength = dataLength + s.Kw + columns - s.Oh * Wp;
    const direct = s.Kh === 1 && s.Kw === 1 && s.pad === 0 && columns === s.Oh * Wp;
    return { shifted: true, D, rowOffsets, columns, sourceLength, dataLength, rowPitch: Wp, direct };
  }
  const P = s.Oh * s.Ow;
  for (let d = 0; d < D; d++) rowOffsets[d] = d * P;
  const columns = roundUp(P, COLUMN_GROUP);
  return {
    shifted: false,
    D,
    rowOffsets,
    columns,
    sourceLength: D * P + columns - P,
    dataLength: D * P,
    rowPitch: s.Ow,
    direct: false,
  };
}

/** Writes image [C][H][W] zero-padded by `pad` as [C][H+2pad][W+2pad], then `tail` zeros. */
export function padImage(
  input: Float32Array,
  inputOffset: number,
  s: ConvShape,
  out: Float32Array,
  outOffset: number,
  tail: number,
): void {
  const { C, H, W, pad } = s;
  const Wp = W + 2 * pad;
  let o = outOffset;
  let i = inputOffset;
  for (let c = 0; c < C; c++) {
    out.fill(0, o, o + pad * Wp + pad);
    o += pad * Wp + pad;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) out[o + x] = input[i + x];
      i += W;
      o += W;
      if (y < H - 1) {
        out.fill(0, o, o + 2 * pad);
        o += 2 * pad;
      }
    }
    out.fill(0, o, o + pad + pad * Wp);
    o += pad + pad * Wp;
  }
  out.fill(0, o, o + tail);
}

/** Unfolds one image into col[d][p] (row length P = Oh*Ow); padding becomes zeros. */
export function im2col(
  input: Float32Array,
  inputOffset: number,
  s: ConvShape,
  col: Float32Array,
  colOffset: number,
): void {
  const { C, H, W, Kh, Kw, stride, pad, Oh, Ow } = s;
  const P = Oh * Ow;
  let row = 0;
  for (let c = 0; c < C; c++) {
    const plane = inputOffset + c * H * W;
    for (let i = 0; i < Kh; i++) {
      for (let j = 0; j < Kw; j++) {
        const rowBase = colOffset + row * P;
        // Output columns whose input column ox*stride - pad + j lies inside the image.
        const oxStart = Math.min(Ow, Math.max(0, Math.ceil((pad - j) / stride)));
        const oxEnd = Math.min(Ow, Math.max(oxStart, Math.floor((W - 1 + pad - j) / stride) + 1));
        for (let oy = 0; oy < Oh; oy++) {
          const iy = oy * stride - pad + i;
          const dst = rowBase + oy * Ow;
          if (iy < 0 || iy >= H) {
            col.fill(0, dst, dst + Ow);
            continue;
          }
          for (let ox = 0; ox < oxStart; ox++) col[dst + ox] = 0;
          let src = plane + iy * W + oxStart * stride - pad + j;
          for (let ox = oxStart; ox < oxEnd; ox++) {
            col[dst + ox] = input[src];
            src += stride;
          }
          for (let ox = oxEnd; ox < Ow; ox++) col[dst + ox] = 0;
        }
        row++;
      }
    }
  }
}

/** Copies the GEMM result (K rows of `columns`, output row y at y*rowPitch) into [K][Oh][Ow], dropping junk. */
export function compactRows(
  result: Float32Array,
  resultOffset: number,
  s: ConvShape,
  rowPitch: number,
  columns: number,
  out: Float32Array,
  outOffset: number,
): void {
  const { K, Oh, Ow } = s;
  if (rowPitch === Ow && columns === Oh * Ow) {
    out.set(result.subarray(resultOffset, resultOffset + K * Oh * Ow), outOffset);
    return;
  }
  let o = outOffset;
  for (let k = 0; k < K; k++) {
    let r = resultOffset + k * columns;
    for (let y = 0; y < Oh; y++) {
      for (let x = 0; x < Ow; x++) out[o + x] = result[r + x];
      o += Ow;
      r += rowPitch;
    }
  }
}
