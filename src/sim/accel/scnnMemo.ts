/**
 * Memo of SCNN profile costs (accelerators.md §10) keyed by an integer tuple describing weight groups: the
 * shape of a bucket (number of groups, class of each kernel position, weights of the mixed groups) or one
 * mixed group. With dense weights these repeat across input channels and filter groups, so each
 * (tuple, profile) cost is computed once per layer.
 */
import { IntList, TupleIds } from './intBuffers';

/** Memo entries per layer (Int32): beyond this, costs are recomputed instead of stored (64 MiB). */
const MEMO_LIMIT = 1 << 24;

export class CostMemo {
  /** Scratch for building a key. */
  readonly key = new IntList();
  private readonly ids = new TupleIds();
  private readonly rows: (Int32Array | null)[] = [];
  private entries = 0;

  /** Id of data[from .. from + length) (default: the key). */
  idOf(data: Int32Array = this.key.data, length = this.key.length, from = 0): number {
    const id = this.ids.idOf(data, length, from);
    if (id === this.rows.length) this.rows.push(null);
    return id;
  }

  /** Memoised cost of profile p under an id; 0 when unknown (stored costs are at least 1). */
  get(id: number, p: number): number {
    const row = this.rows[id];
    return row !== null && p < row.length ? row[p] : 0;
  }

  /** Stores a cost ≥ 1; `profiles` (> p) sizes a new row. */
  set(id: number, p: number, cost: number, profiles: number): void {
    let row = this.rows[id];
    if (row === null || p >= row.length) {
      const size = Math.max(profiles, 2 * (row?.length ?? 0));
      if (this.entries + size > MEMO_LIMIT) return;
      const grown = new Int32Array(size);
      if (row !== null) grown.set(row);
      this.entries += size - (row?.length ?? 0);
      row = this.rows[id] = grown;
    }
    row[p] = cost;
  }
}
