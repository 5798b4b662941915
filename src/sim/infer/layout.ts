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
 * How the kernels see the convolution's input: row d = (c*Kh + i)*Kw + j (PyTorch weight order) of the virtual
 * [D][columns] matrix starts at source[rowOffsets[d]]; column q = oy*rowPitch + ox.
 *
 * The source is the zero-padded image [C][Hp][Wp] split into stride x stride phases, phase (a, b) holding the
 * padded pixels (a + stride*y, b + stride*x) as [C][Hq][Wq] with Hq = ceil(Hp/stride), Wq = ceil(Wp/stride).
 * Tap (i, j) of output (oy, ox) is then pixel (oy + i div stride, ox + j div stride) of phase
 * (i mod stride, j mod stride), so row d is that phase shifted by (c, i div stride, j div stride): no im2col
 * matrix (Kh*Kw times the image) is built. With stride 1 there is one phase, the padded image itself. Each
 * output row carries Wq - Ow junk columns that are dropped later. Only the phases some tap uses are stored.
 */
export interface ConvLayout {
  /**
   * 'image': 1x1, stride 1, no padding, no junk columns: the image itself serves as the source;
   * 'padded': stride 1, the zero-padded image; 'phases': larger strides, the phases described above.
   */
  source: 'image' | 'padded' | 'phases';
  D: number;
  rowOffsets: Int32Array;
  /** Columns the kernels compute: Oh*rowPitch rounded up to a multiple of COLUMN_GROUP (the extra ones are junk). */
  columns: number;
  /** Elements of the source buffer, including the zero tail read by the junk columns of the last rows. */
  sourceLength: number;
  /** Where that zero tail starts. */
  dataLength: number;
  /** Wq: the stride between output rows inside the kernels' result. */
  rowPitch: number;
  /** Phases stored along the height and the width: min(stride, Kh) and min(stride, Kw). */
  phaseRows: number;
  phaseCols: number;
  /** Hq */
  phaseHeight: number;
}

/** The GEMM kernels work on groups of this many columns. */
export const COLUMN_GROUP = 8;

const roundUp = (value: number, multiple: number) => Math.ceil(value / multiple) * multiple;

export function convLayout(s: ConvShape): ConvLayout {
  const { C, Kh, Kw, stride } = s;
  const D = C * Kh * Kw;
  const Hq = Math.ceil((s.H + 2 * s.pad) / stride);
  const Wq = Math.ceil((s.W + 2 * s.pad) / stride);
  const phaseRows = Math.min(stride, Kh);
  const phaseCols = Math.min(stride, Kw);
  const plane = Hq * Wq;
  const columns = roundUp(s.Oh * Wq, COLUMN_GROUP);
  const rowOffsets = new Int32Array(D);
  let last = 0;
  let d = 0;
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < Kh; i++) {
      for (let j = 0; j < Kw; j++) {
        const phase = (i % stride) * phaseCols + (j % stride);
        const offset = (phase * C + c) * plane + Math.floor(i / stride) * Wq + Math.floor(j / stride);
        rowOffsets[d++] = offset;
        last = Math.max(last, offset);
      }
    }
  }
  const dataLength = phaseRows * phaseCols * C * plane;
  const direct = stride === 1 && Kh === 1 && Kw === 1 && s.pad === 0 && columns === s.Oh * Wq;
  return {
    source: direct ? 'image' : stride === 1 ? 'padded' : 'phases',
    D,
    rowOffsets,
    columns,
    sourceLength: Math.max(dataLength, last + columns),
    dataLength,
    rowPitch: Wq,
    phaseRows,
    phaseCols,
    phaseHeight: Hq,
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

/** Writes the phases of one image (layout.source 'phases') at out[outOffset..+dataLength]; padding becomes zeros. */
export function splitPhases(
  input: Float32Array,
  inputOffset: number,
  s: ConvShape,
  layout: ConvLayout,
  out: Float32Array,
  outOffset: number,
): void {
  const { C, H, W, stride, pad } = s;
  const { phaseRows, phaseCols, phaseHeight: Hq, rowPitch: Wq } = layout;
  let o = outOffset;
  for (let a = 0; a < phaseRows; a++) {
    for (let b = 0; b < phaseCols; b++) {
      // Phase columns x whose image column b + stride*x - pad lies inside the image.
      const xStart = Math.min(Wq, Math.max(0, Math.ceil((pad - b) / stride)));
      const xEnd = Math.min(Wq, Math.max(xStart, Math.floor((W - 1 + pad - b) / stride) + 1));
      for (let c = 0; c < C; c++) {
        const plane = inputOffset + c * H * W;
        for (let y = 0; y < Hq; y++) {
          const iy = a + stride * y - pad;
          if (iy < 0 || iy >= H) {
            out.fill(0, o, o + Wq);
            o += Wq;
            continue;
          }
          for (let x = 0; x < xStart; x++) out[o + x] = 0;
          let src = plane + iy * W + b + stride * xStart - pad;
          for (let x = xStart; x < xEnd; x++) {
            out[o + x] = input[src];
            src += stride;
          }
          for (let x = xEnd; x < Wq; x++) out[o + x] = 0;
          o += Wq;
        }
      }
    }
  }
}

/** Copies the kernels' result (K rows of `columns`, output row y at y*rowPitch) into [K][Oh][Ow], dropping junk. */
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
