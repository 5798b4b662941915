/**
 * Entry counting of the relative-index sparse formats (accelerators.md §12.1 and §15). A non-zero preceded by
 * a gap of g zeros needs floor(g / 2^rBits) padding entries (value zero, index 2^rBits − 1) before the real
 * entry, whose index field holds g mod 2^rBits; trailing zeros need nothing. EIE's per-PE CSC is built by
 * src/sim/accel/eieFormat.ts (shared with the cycle model); this file holds Deep Compression's flat stream and
 * the expected-padding formula.
 */

export interface SparseEntryCount {
  /** Real (non-zero) entries. */
  nnz: number;
  /** Padding entries forced by gaps of 2^rBits or more zeros. */
  padding: number;
}

/** Deep Compression's relative-index stream over the whole tensor in flat (PyTorch) order. */
export function countRelativeIndexEntries(codes: ArrayLike<number>, relBits: number): SparseEntryCount {
  const span = 2 ** relBits;
  let nnz = 0;
  let padding = 0;
  let run = 0;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] === 0) {
      run++;
      continue;
    }
    padding += Math.floor(run / span);
    run = 0;
    nnz++;
  }
  return { nnz, padding };
}

/**
 * Expected padding entries of one slice of `length` positions with i.i.d. density d (§15):
 * E[pad] = d · Σ_{ℓ<length} Σ_{m=1}^{floor(ℓ/R)} (1−d)^{mR}, R = 2^relBits. Position ℓ holds a non-zero with
 * probability d and its gap reaches mR with probability (1−d)^{mR} while mR ≤ ℓ.
 */
export function expectedPaddingEntries(length: number, density: number, relBits: number): number {
  const span = 2 ** relBits;
  const q = (1 - density) ** span;
  let total = 0;
  let inner = 0; // Σ_{m=1}^{floor(ℓ/R)} q^m, grown as ℓ crosses multiples of R
  let qm = 1;
  for (let l = 0; l < length; l++) {
    if (l > 0 && l % span === 0) {
      qm *= q;
      inner += qm;
    }
    total += inner;
  }
  return density * total;
}

/** Long-column limit of padding per non-zero, q / (1 − q) with q = (1 − d)^(2^relBits) (§15). */
export function paddingPerNonZeroLimit(density: number, relBits: number): number {
  const q = (1 - density) ** (2 ** relBits);
  return q / (1 - q);
}
