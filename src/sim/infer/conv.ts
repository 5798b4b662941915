import type { PackedConv } from './fold';
import { PANEL, gemmPacked } from './gemm';
import {
  COLUMN_GROUP,
  compactRows,
  convLayout,
  padImage,
  splitPhases,
  type ConvLayout,
  type ConvShape,
} from './layout';
import { entryOffsets, ternaryConvolve, type TernaryConv } from './ternary';

/** A layer's weights as a kernel takes them: float panels for the GEMM, or add/subtract lists. */
export type PreparedConv = PackedConv | TernaryConv;

/**
 * Runs one prepared convolution over a batch: per image, stage the input, then the GEMM (or the ternary
 * kernel) in column blocks.
 */
export interface ConvRunner {
  readonly kind: 'js' | 'wasm';
  run(weights: PreparedConv, s: ConvShape, src: Float32Array, dst: Float32Array, n: number): void;
  /** Bytes of the WebAssembly memory the run needs for its own operands (0 for the JavaScript runner). */
  scratchBytes(weights: PreparedConv, s: ConvShape): number;
}

/** Rows of the kernel's result: the float GEMM writes whole panels of filters. */
export const resultRows = (weights: PreparedConv) =>
  weights.kind === 'float' ? weights.panels * PANEL : 2 * weights.pairs;

/** Columns per GEMM call, so that the slice of the input matrix in use stays in the L2 cache. */
const COLUMN_BLOCK_BYTES = 256 * 1024;

export function columnBlock(D: number): number {
  return Math.max(COLUMN_GROUP, Math.floor(COLUMN_BLOCK_BYTES / (4 * D) / COLUMN_GROUP) * COLUMN_GROUP);
}

const layouts = new WeakMap<ConvShape, ConvLayout>();

export function layoutOf(s: ConvShape): ConvLayout {
  let layout = layouts.get(s);
  if (!layout) {
    layout = convLayout(s);
    layouts.set(s, layout);
  }
  return layout;
}

/** Writes the kernels' source for image `img` into `target` at `offset` (the image itself needs none). */
function stageInput(
  layout: ConvLayout,
  s: ConvShape,
  src: Float32Array,
  img: number,
  target: Float32Array,
  offset: number,
) {
  const inSize = s.C * s.H * s.W;
  if (layout.source === 'padded')
    padImage(src, img * inSize, s, target, offset, layout.sourceLength - layout.dataLength);
  else {
    splitPhases(src, img * inSize, s, layout, target, offset);
    target.fill(0, offset + layout.dataLength, offset + layout.sourceLength);
  }
}

export class JsConvRunner implements ConvRunner {
  readonly kind = 'js';
  private source: Float32Array = new Float32Array(0);
  private result = new Float32Array(0);
  private offsets = new Int32Array(0);

  scratchBytes(): number {
    return 0;
  }

  run(weights: PreparedConv, s: ConvShape, src: Float32Array, dst: Float32Array, n: number): void {
    const layout = layoutOf(s);
    const { D, columns, rowOffsets } = layout;
    const inSize = s.C * s.H * s.W;
    const outSize = s.K * s.Oh * s.Ow;
    if (layout.source !== 'image' && this.source.length < layout.sourceLength)
      this.source = new Float32Array(layout.sourceLength);
    const rows = resultRows(weights);
    if (this.result.length < rows * columns) this.result = new Float32Array(rows * columns);
    if (weights.kind === 'ternary') {
      if (this.offsets.length < weights.rows.length) this.offsets = new Int32Array(weights.rows.length);
      entryOffsets(weights, rowOffsets, 1, this.offsets);
    }
    const block = columnBlock(D);
    for (let img = 0; img < n; img++) {
      let source = this.source;
      let sourceOffset = 0;
      if (layout.source === 'image') {
        source = src;
        sourceOffset = img * inSize;
      } else {
        stageInput(layout, s, src, img, this.source, 0);
      }
      for (let p = 0; p < columns; p += block) {
        const end = Math.min(columns, p + block);
        if (weights.kind === 'ternary') {
          ternaryConvolve(weights, this.offsets, source, sourceOffset, p, end, this.result, 0, columns);
          continue;
        }
        const { packed, bias, panels } = weights;
        gemmPacked(
          packed,
          bias,
          panels,
          D,
          source,
          sourceOffset,
          rowOffsets,
          p,
          end,
          this.result,
          0,
          columns,
        );
      }
      compactRows(this.result, 0, s, layout.rowPitch, columns, dst, img * outSize);
    }
  }
}
