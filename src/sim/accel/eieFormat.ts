/**
 * EIE's per-PE compressed sparse column format (accelerators.md §12.1). Row i of the M × Nin matrix lives in
 * PE i % N as local row floor(i / N); every (PE, column) slice stores its non-zeros with r-bit relative row
 * indices, and a gap of g zeros before a non-zero needs floor(g / 2^r) padding entries (value zero, index
 * 2^r − 1). Trailing zeros of a slice cost nothing. Built once per layer; the cycle model and the memory
 * footprint (§15) read the same counts.
 */

export interface EieCsc {
  rows: number;
  cols: number;
  pes: number;
  relBits: number;
  /** Real + padding entries of column j in PE k, at [k * cols + j]. */
  entries: Int32Array;
  /** Real (non-zero) entries of column j in PE k, at [k * cols + j]. */
  nonZeros: Int32Array;
  /** Non-zeros of column j over all PEs. */
  columnNonZeros: Int32Array;
  nnz: number;
  padding: number;
}

/** CSC of a row-major rows × cols matrix (FC weights [K][C]; lowered conv [K][C·Kh·Kw]). */
export function buildEieCsc(
  matrix: ArrayLike<number>,
  rows: number,
  cols: number,
  pes: number,
  relBits: number,
): EieCsc {
  if (matrix.length !== rows * cols)
    throw new RangeError(`matrix ${rows}x${cols} needs ${rows * cols} values, got ${matrix.length}`);
  if (!(Number.isInteger(pes) && pes >= 1))
    throw new RangeError(`pes must be a positive integer, got ${pes}`);
  const span = 2 ** relBits;
  const entries = new Int32Array(pes * cols);
  const nonZeros = new Int32Array(pes * cols);
  const columnNonZeros = new Int32Array(cols);
  // Last non-zero local row of every (PE, column) slice; rows come in order, so local rows only grow.
  const last = new Int32Array(pes * cols).fill(-1);
  let nnz = 0;
  let padding = 0;
  for (let i = 0; i < rows; i++) {
    const slice = (i % pes) * cols;
    const local = Math.floor(i / pes);
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      if (matrix[base + j] === 0) continue;
      const pad = Math.floor((local - last[slice + j] - 1) / span);
      last[slice + j] = local;
      entries[slice + j] += 1 + pad;
      nonZeros[slice + j]++;
      columnNonZeros[j]++;
      padding += pad;
      nnz++;
    }
  }
  return { rows, cols, pes, relBits, entries, nonZeros, columnNonZeros, nnz, padding };
}

export function cscNnz(csc: EieCsc): number {
  return csc.nnz;
}

export function cscPadding(csc: EieCsc): number {
  return csc.padding;
}

/** Pointers each PE stores: one per column plus the end pointer (§15: N · (Nin + 1) pointers in total). */
export function cscPointersPerPE(csc: EieCsc): number {
  return csc.cols + 1;
}

/** PE k's column pointers p_0 .. p_Nin: p_j = entries of columns < j (p_{j+1} − p_j = entries of column j). */
export function cscPointers(csc: EieCsc, pe: number): Int32Array {
  const out = new Int32Array(csc.cols + 1);
  for (let j = 0; j < csc.cols; j++) out[j + 1] = out[j] + csc.entries[pe * csc.cols + j];
  return out;
}

/** Entries (real + padding) stored by every PE. */
export function cscEntriesPerPE(csc: EieCsc): Int32Array {
  const out = new Int32Array(csc.pes);
  for (let k = 0; k < csc.pes; k++) {
    let sum = 0;
    for (let j = 0; j < csc.cols; j++) sum += csc.entries[k * csc.cols + j];
    out[k] = sum;
  }
  return out;
}

/** §15 storage: (nnz + pad)·(wIdxBits + rBits) + N·(Nin + 1)·16 + 2^wIdxBits·16 bits. */
export function cscStorageBits(csc: EieCsc, weightIndexBits: number): number {
  return (
    (csc.nnz + csc.padding) * (weightIndexBits + csc.relBits) +
    csc.pes * cscPointersPerPE(csc) * 16 +
    2 ** weightIndexBits * 16
  );
}

export interface SliceEncoding {
  gaps: number[];
  padding: number;
  entries: number;
  /** Index field of every entry in storage order (padding entries hold 2^r − 1). */
  storedIndices: number[];
  /** Whether each entry in storage order is a real non-zero (false: padding). */
  real: boolean[];
}

/** Encoding of one (PE, column) slice from its ascending non-zero local rows (§12.1). */
export function encodeSlice(localRows: readonly number[], relBits: number): SliceEncoding {
  const span = 2 ** relBits;
  const gaps: number[] = [];
  const storedIndices: number[] = [];
  const real: boolean[] = [];
  let previous = -1;
  for (const row of localRows) {
    const gap = row - previous - 1;
    if (gap < 0) throw new RangeError('local rows must be strictly ascending');
    gaps.push(gap);
    for (let p = 0; p < Math.floor(gap / span); p++) {
      storedIndices.push(span - 1);
      real.push(false);
    }
    storedIndices.push(gap % span);
    real.push(true);
    previous = row;
  }
  return { gaps, padding: real.length - localRows.length, entries: real.length, storedIndices, real };
}

/** Ascending non-zero local rows of column j in PE k. */
export function sliceLocalRows(matrix: ArrayLike<number>, csc: EieCsc, pe: number, col: number): number[] {
  const out: number[] = [];
  for (let i = pe, local = 0; i < csc.rows; i += csc.pes, local++)
    if (matrix[i * csc.cols + col] !== 0) out.push(local);
  return out;
}
