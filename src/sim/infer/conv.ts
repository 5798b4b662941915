import type { PackedConv } from './fold';
import { PANEL, gemmPacked } from './gemm';
import {
  COLUMN_GROUP,
  compactRows,
  convLayout,
  im2col,
  padImage,
  type ConvLayout,
  type ConvShape,
} from './im2col';
import type { WasmKernels } from './wasm/kernels';

/** Runs one packed convolution over a batch: per image, stage the input, then the GEMM in column blocks. */
export interface ConvRunner {
  readonly kind: 'js' | 'wasm';
  run(weights: PackedConv, s: ConvShape, src: Float32Array, dst: Float32Array, n: number): void;
}

/** Columns per GEMM call, so that the slice of the input matrix in use stays in the L2 cache. */
const COLUMN_BLOCK_BYTES = 256 * 1024;

function columnBlock(D: number): number {
  return Math.max(COLUMN_GROUP, Math.floor(COLUMN_BLOCK_BYTES / (4 * D) / COLUMN_GROUP) * COLUMN_GROUP);
}

const layouts = new WeakMap<ConvShape, ConvLayout>();

function layoutOf(s: ConvShape): ConvLayout {
  let layout = layouts.get(s);
  if (!layout) {
    layout = convLayout(s);
    layouts.set(s, layout);
  }
  return layout;
}

/** Writes the GEMM's source for image `img` into `target` at `offset` (nothing to do for a direct 1x1 conv). */
function stageInput(
  layout: ConvLayout,
  s: ConvShape,
  src: Float32Array,
  img: number,
  target: Float32Array,
  offset: number,
) {
  const inSize = s.C * s.H * s.W;
  const tail = layout.sourceLength - layout.dataLength;
  if (layout.direct) target.set(src.subarray(img * inSize, (img + 1) * inSize), offset);
  else if (layout.shifted) padImage(src, img * inSize, s, target, offset, tail);
  else im2col(src, img * inSize, s, target, offset);
  if (!layout.shifted || layout.direct)
    target.fill(0, offset + layout.dataLength, offset + layout.sourceLength);
}

export class JsConvRunner implements ConvRunner {
  readonly kind = 'js';
  private source: Float32Array = new Float32Array(0);
  private result = new Float32Array(0);

  run(
    { packed, bias, panels }: PackedConv,
    s: ConvShape,
    src: Float32Array,
    dst: Float32Array,
    n: number,
  ): void {
    const layout = layoutOf(s);
    const { D, columns, rowOffsets } = layout;
    const inSize = s.C * s.H * s.W;
    const outSize = s.K * s.Oh * s.Ow;
    if (!layout.direct && this.source.length < layout.sourceLength)
      this.source = new Float32Array(layout.sourceLength);
    if (this.result.length < panels * PANEL * columns)
      this.result = new Float32Array(panels * PANEL * columns);
    const block = columnBlock(D);
    for (let img = 0; img < n; img++) {
      let source = this.source;
      let sourceOffset = 0;
      if (layout.direct) {
        source = src;
        sourceOffset = img * inSize;
      } else {
        stageInput(layout, s, src, img, this.source, 0);
      }
      for (let p = 0; p < columns; p += block) {
        const end = Math.min(columns, p + block);
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

const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** Same computation with the WebAssembly kernels; operands are staged in the kernels' linear memory. */
export class WasmConvRunner implements ConvRunner {
  readonly kind = 'wasm';
  private heap: Float32Array;
  private heapI32: Int32Array;

  constructor(private readonly kernels: WasmKernels) {
    this.heap = new Float32Array(kernels.memory.buffer);
    this.heapI32 = new Int32Array(kernels.memory.buffer);
  }

  private reserve(bytes: number): void {
    const memory = this.kernels.memory;
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    // Growing detaches the old ArrayBuffer, so the views are renewed whenever the buffer changed.
    if (this.heap.buffer !== memory.buffer) {
      this.heap = new Float32Array(memory.buffer);
      this.heapI32 = new Int32Array(memory.buffer);
    }
  }

  run(
    { packed, bias, panels }: PackedConv,
    s: ConvShape,
    src: Float32Array,
    dst: Float32Array,
    n: number,
  ): void {
    const layout = layoutOf(s);
    const { D, columns } = layout;
    const inSize = s.C * s.H * s.W;
    const outSize = s.K * s.Oh * s.Ow;
    const resultRows = panels * PANEL;
    // weights | bias | row offsets | GEMM source | GEMM result | unpadded image | compacted output
    const wPtr = 0;
    const biasPtr = align16(wPtr + packed.length * 4);
    const rowsPtr = align16(biasPtr + bias.length * 4);
    const sourcePtr = align16(rowsPtr + D * 4);
    const resultPtr = align16(sourcePtr + layout.sourceLength * 4);
    const imagePtr = align16(resultPtr + resultRows * columns * 4);
    const outPtr = align16(imagePtr + inSize * 4);
    this.reserve(outPtr + outSize * 4);
    const heap = this.heap;
    heap.set(packed, wPtr / 4);
    heap.set(bias, biasPtr / 4);
    const byteOffsets = this.heapI32.subarray(rowsPtr / 4, rowsPtr / 4 + D);
    for (let d = 0; d < D; d++) byteOffsets[d] = layout.rowOffsets[d] * 4;
    // Padding borders and the tail read by junk columns stay zero: per image only the interior is written.
    heap.fill(0, sourcePtr / 4, sourcePtr / 4 + layout.sourceLength);
    const needsCompaction = layout.rowPitch !== s.Ow || columns !== s.Oh * s.Ow;
    const block = columnBlock(D);
    const { gemm, pad, compact } = this.kernels;
    for (let img = 0; img < n; img++) {
      const image = src.subarray(img * inSize, (img + 1) * inSize);
      if (layout.direct) heap.set(image, sourcePtr / 4);
      else if (layout.shifted) {
        heap.set(image, imagePtr / 4);
        pad(imagePtr, sourcePtr, s.C, s.H, s.W, s.pad);
      } else im2col(src, img * inSize, s, heap, sourcePtr / 4);
      for (let p = 0; p < columns; p += block) {
        gemm(
          wPtr,
          biasPtr,
          panels,
          D,
          sourcePtr,
          rowsPtr,
          columns,
          p,
          Math.min(columns, p + block),
          resultPtr,
        );
      }
      let from = resultPtr;
      if (needsCompaction) {
        compact(resultPtr, outPtr, s.K, s.Oh, s.Ow, layout.rowPitch, columns);
        from = outPtr;
      }
      dst.set(heap.subarray(from / 4, from / 4 + outSize), img * outSize);
    }
  }
}
