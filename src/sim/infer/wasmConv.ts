import { columnBlock, layoutOf, resultRows, type ConvRunner, type PreparedConv } from './conv';
import { splitPhases, type ConvLayout, type ConvShape } from './layout';
import { entryOffsets } from './ternary';
import { WasmHeap } from './wasm/heap';
import type { WasmKernels } from './wasm/kernels';

const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** Byte addresses of one run's operands, from 0: weights | GEMM source | result | image | output. */
interface Scratch {
  source: number;
  result: number;
  /** The unpadded image, when the caller's input lies outside the kernels' memory. */
  image: number;
  /** The compacted output, when the caller's output lies outside the kernels' memory. */
  out: number;
  end: number;
}

function weightBytes(weights: PreparedConv, D: number): number {
  if (weights.kind === 'float') return (weights.packed.length + weights.bias.length + D) * 4 + 32;
  const { rows, counts, coefficients, bias } = weights;
  return (rows.length + counts.length + coefficients.length + bias.length) * 4 + 48;
}

function scratchOf(weights: PreparedConv, s: ConvShape, layout: ConvLayout): Scratch {
  const source = align16(weightBytes(weights, layout.D));
  const result = align16(source + layout.sourceLength * 4);
  const image = align16(result + resultRows(weights) * layout.columns * 4);
  const out = align16(image + s.C * s.H * s.W * 4);
  return { source, result, image, out, end: align16(out + s.K * s.Oh * s.Ow * 4) };
}

/**
 * The convolution with the WebAssembly kernels. Weights and the GEMM source are staged at the start of the
 * kernels' linear memory; input and output tensors that already live in that memory (the engine keeps its
 * activations there) are read and written in place, others are copied in and out.
 * A caller whose tensors live in the memory reserves scratchBytes first: growing the memory here would detach
 * the caller's views.
 */
export class WasmConvRunner implements ConvRunner {
  readonly kind = 'wasm';
  private readonly heap: WasmHeap;

  constructor(private readonly kernels: WasmKernels) {
    this.heap = new WasmHeap(kernels.memory);
  }

  scratchBytes(weights: PreparedConv, s: ConvShape): number {
    return scratchOf(weights, s, layoutOf(s)).end;
  }

  /** Byte address of `view` in the kernels' memory, or -1 when it lies elsewhere. */
  private addressOf(view: Float32Array): number {
    return view.buffer === this.kernels.memory.buffer ? view.byteOffset : -1;
  }

  /**
   * Writes the weights at byte 0 and returns the call that runs the kernel on the source at `source` for
   * columns [pStart, pEnd) into the result at `result`.
   */
  private stageWeights(
    weights: PreparedConv,
    layout: ConvLayout,
    result: number,
  ): (source: number, pStart: number, pEnd: number) => void {
    const { D, columns } = layout;
    const { f32, i32 } = this.heap;
    if (weights.kind === 'float') {
      const { packed, bias, panels } = weights;
      // weights | bias | row offsets
      const biasPtr = align16(packed.length * 4);
      const rowsPtr = align16(biasPtr + bias.length * 4);
      f32.set(packed, 0);
      f32.set(bias, biasPtr / 4);
      const byteOffsets = i32.subarray(rowsPtr / 4, rowsPtr / 4 + D);
      for (let d = 0; d < D; d++) byteOffsets[d] = layout.rowOffsets[d] * 4;
      const { gemm } = this.kernels;
      return (source, pStart, pEnd) =>
        gemm(0, biasPtr, panels, D, source, rowsPtr, columns, pStart, pEnd, result);
    }
    // entries | counts | coefficients | bias
    const { pairs, rows, counts, coefficients, bias } = weights;
    const countsPtr = align16(rows.length * 4);
    const coefficientsPtr = align16(countsPtr + counts.length * 4);
    const biasPtr = align16(coefficientsPtr + coefficients.length * 4);
    entryOffsets(weights, layout.rowOffsets, 4, i32);
    i32.set(counts, countsPtr / 4);
    f32.set(coefficients, coefficientsPtr / 4);
    f32.set(bias, biasPtr / 4);
    const { ternary } = this.kernels;
    return (source, pStart, pEnd) =>
      ternary(0, countsPtr, coefficientsPtr, biasPtr, pairs, source, columns, pStart, pEnd, result);
  }

  run(weights: PreparedConv, s: ConvShape, src: Float32Array, dst: Float32Array, n: number): void {
    const layout = layoutOf(s);
    const { D, columns } = layout;
    const inBytes = s.C * s.H * s.W * 4;
    const outBytes = s.K * s.Oh * s.Ow * 4;
    const scratch = scratchOf(weights, s, layout);
    this.heap.reserve(scratch.end);
    const srcAt = this.addressOf(src);
    const dstAt = this.addressOf(dst);
    const kernel = this.stageWeights(weights, layout, scratch.result);
    const heap = this.heap.f32;
    // Padding borders and the tail read by junk columns stay zero: per image only the interior is written.
    heap.fill(0, scratch.source / 4, scratch.source / 4 + layout.sourceLength);
    const block = columnBlock(D);
    const { pad, compact } = this.kernels;
    const inSize = inBytes / 4;
    for (let img = 0; img < n; img++) {
      const image = () => src.subarray(img * inSize, (img + 1) * inSize);
      let source = scratch.source;
      if (layout.source === 'image') {
        if (srcAt >= 0) source = srcAt + img * inBytes;
        else heap.set(image(), source / 4);
      } else if (layout.source === 'padded') {
        let from = srcAt + img * inBytes;
        if (srcAt < 0) {
          heap.set(image(), scratch.image / 4);
          from = scratch.image;
        }
        pad(from, source, s.C, s.H, s.W, s.pad);
      } else splitPhases(src, img * inSize, s, layout, heap, source / 4);
      for (let p = 0; p < columns; p += block) kernel(source, p, Math.min(columns, p + block));
      const out = dstAt >= 0 ? dstAt + img * outBytes : scratch.out;
      compact(scratch.result, out, s.K, s.Oh, s.Ow, layout.rowPitch, columns);
      if (dstAt < 0) dst.set(heap.subarray(out / 4, (out + outBytes) / 4), img * (outBytes / 4));
    }
  }
}
