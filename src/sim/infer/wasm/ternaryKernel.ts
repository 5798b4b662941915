/**
 * The ternary convolution of ../ternary.ts as a WebAssembly SIMD kernel (addresses and offsets in bytes):
 * ternary(entries, counts, coefficients, bias, pairs, col, outStride, pStart, pEnd, out).
 * For each pair of filters and each group of 16 output pixels (then 8), the two output rows start at the
 * biases; then, pattern after pattern, the pattern's rows are summed into four f32x4 accumulators (one index
 * read per four vector additions, no multiplications) and the sum, times its coefficient, is added to the
 * output row of each filter the pattern involves.
 * Four accumulators, not eight: with eight, the register allocator runs out of vector registers for the loads
 * it hoists and spills an accumulator, which made the kernel slower.
 * Column counts must be multiples of 8 (the layouts of ../layout.ts round them up to 8).
 */
import { PAIR_PATTERNS } from '../ternary';
import { addTo, countdown, countdownFrom, op, seq, type WasmFunction } from './assembler';

export function ternaryKernel(): WasmFunction {
  const [ENTRIES, COUNTS, COEFFICIENTS, BIAS, PAIRS, COL, OUT_STRIDE, P_START, P_END, OUT] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
  ];
  const [ENTRY, EI, N, PCOL, COL_P, O, ROW_OUT, OUT_ROW, ADDRESS, Q] = [
    10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
  ];
  const ACC = 20; // 4 accumulators
  const PATTERNS = PAIR_PATTERNS.length;

  /** Adds the N rows of the entries from EI on into the first `vectors` accumulators (N >= 1). */
  const sumRows = (vectors: number): number[] => {
    const adds: number[][] = [];
    for (let v = 0; v < vectors; v++)
      adds.push(seq(op.get(ACC + v), op.get(ADDRESS), op.v128Load(16 * v), op.f32x4Add, op.set(ACC + v)));
    // prettier-ignore
    return countdown(N, seq(
      op.get(COL_P), op.get(EI), op.loadI32, op.add, op.set(ADDRESS),
      ...adds,
      addTo(EI, op.const(4)),
    ));
  };

  /** out row `side` of the pair (at O, or O + one row) += coefficient * accumulators */
  const distribute = (q: number, side: number, vectors: number): number[] => {
    const row = side === 0 ? op.get(O) : seq(op.get(O), op.get(OUT_ROW), op.add);
    const steps: number[][] = [];
    for (let v = 0; v < vectors; v++) {
      // prettier-ignore
      steps.push(seq(
        op.get(ADDRESS), op.get(ADDRESS), op.v128Load(16 * v),
        op.get(ACC + v), op.get(COEFFICIENTS), op.v128Load32Splat((q * 2 + side) * 4), op.f32x4Mul,
        op.f32x4Add, op.v128Store(16 * v),
      ));
    }
    return seq(row, op.set(ADDRESS), ...steps);
  };

  const columnStep = (vectors: number): number[] => {
    const start: number[][] = [];
    for (let v = 0; v < vectors; v++) {
      // prettier-ignore
      start.push(seq(
        op.get(O), op.get(BIAS), op.v128Load32Splat(0), op.v128Store(16 * v),
        op.get(O), op.get(OUT_ROW), op.add, op.get(BIAS), op.v128Load32Splat(4), op.v128Store(16 * v),
      ));
    }
    const patterns = PAIR_PATTERNS.map(([first, second], q) => {
      const clear: number[][] = [];
      for (let v = 0; v < vectors; v++) clear.push(seq(op.v128Zero, op.set(ACC + v)));
      // prettier-ignore
      return seq(
        op.block,
        op.get(COUNTS), op.loadI32At(4 * q), op.tee(N), op.eqz, op.brIf(0),
        ...clear,
        sumRows(vectors),
        first !== 0 ? distribute(q, 0, vectors) : [],
        second !== 0 ? distribute(q, 1, vectors) : [],
        op.end,
      );
    });
    // prettier-ignore
    return seq(
      op.get(COL), op.get(PCOL), op.const(2), op.shl, op.add, op.set(COL_P),
      op.get(ROW_OUT), op.get(PCOL), op.const(2), op.shl, op.add, op.set(O),
      op.get(ENTRY), op.set(EI),
      ...start,
      ...patterns,
    );
  };

  /** while (p + 4 * vectors <= pEnd) { step; p += 4 * vectors } */
  // prettier-ignore
  const columnLoop = (vectors: number) => seq(
    op.block, op.loop,
    op.get(PCOL), op.const(4 * vectors), op.add, op.get(P_END), op.gtS, op.brIf(1),
    columnStep(vectors),
    addTo(PCOL, op.const(4 * vectors)),
    op.br(0),
    op.end, op.end,
  );

  /** ENTRY += 4 * (rows of this pair) */
  const skipEntries = seq(
    op.const(0),
    op.set(Q),
    ...PAIR_PATTERNS.map((_, q) => addTo(Q, seq(op.get(COUNTS), op.loadI32At(4 * q)))),
    addTo(ENTRY, seq(op.get(Q), op.const(2), op.shl)),
  );

  // prettier-ignore
  const body = seq(
    op.get(OUT_STRIDE), op.const(2), op.shl, op.set(OUT_ROW),
    op.get(OUT), op.set(ROW_OUT),
    op.get(ENTRIES), op.set(ENTRY),
    countdownFrom(PAIRS, seq(
      op.get(P_START), op.set(PCOL),
      columnLoop(4),
      columnLoop(2),
      skipEntries,
      addTo(ROW_OUT, seq(op.get(OUT_ROW), op.const(1), op.shl)),
      addTo(COUNTS, op.const(4 * PATTERNS)),
      addTo(COEFFICIENTS, op.const(8 * PATTERNS)),
      addTo(BIAS, op.const(8)),
    )),
  );
  return { name: 'ternary', params: 10, i32Locals: 10, v128Locals: 4, body };
}
