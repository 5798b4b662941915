/**
 * Signatures of SCNN weight groups (accelerators.md §10). The bank of a product is kPart(k) XOR uvPart(u, v),
 * so a group inside one kernel position meets the activations with the same codes whatever its filters are,
 * and its cost depends only on its histogram of k mod 8: its signature. A kernel position's pure groups form
 * a multiset of signatures: its class. Costs of signatures and classes against each code set are memoised
 * for the whole layer.
 */
import { IntList, TupleIds } from './intBuffers';
import { CODE_SETS } from './scnnProfiles';
import { kPart } from './scnnLayer';

const K_PARTS = Int32Array.from({ length: 8 }, (_, k) => kPart(k));
/** Classes beyond this many are evaluated without memo (bounds the memo to 16 MiB). */
const MEMO_CLASSES = 8192;

/** Signatures and kernel-position classes met in one layer, with memoised costs. */
export class Signatures {
  private readonly ids = new Map<number, number>();
  /** (F + 1)^j: a group's key Σ pow[k mod 8] is its histogram in base F + 1 (exact: (F + 1)^8 < 2^53). */
  readonly pow: Float64Array;
  private readonly hist = new IntList();
  /** Signature of `size` consecutive filters from one ≡ first (mod 8), at first·(F + 1) + size; −1 unknown. */
  private readonly runs: Int32Array;
  /** Class = (signature, count) pairs, ascending by signature. */
  private readonly classes = new TupleIds();
  /** [class·CODE_SETS + code set] = 1 + the class's extra cost against the set; 0 = not yet known. */
  memo = new Int32Array(64 * CODE_SETS);
  /** [signature·CODE_SETS + code set] = cost of one group of that signature; 0 = not yet known. */
  private sigMemo = new Int32Array(16 * CODE_SETS);
  private readonly bankOf: Int32Array;
  private readonly bankCount = new Int32Array(32);

  constructor(
    private readonly F: number,
    banks: number,
  ) {
    this.pow = Float64Array.from({ length: 8 }, (_, j) => (F + 1) ** j);
    this.runs = new Int32Array(8 * (F + 1)).fill(-1);
    this.bankOf = Int32Array.from({ length: 32 }, (_, v) => v % banks);
  }

  ofKey(key: number): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
      let rest = key;
      for (let j = 0; j < 8; j++) {
        const digit = rest % (this.F + 1);
        this.hist.push(digit);
        rest = (rest - digit) / (this.F + 1);
      }
    }
    return id;
  }

  ofRun(first: number, size: number): number {
    const slot = first * (this.F + 1) + size;
    let id = this.runs[slot];
    if (id < 0) {
      let key = 0;
      for (let j = 0; j < size; j++) key += this.pow[(first + j) & 7];
      id = this.runs[slot] = this.ofKey(key);
    }
    return id;
  }

  /** Class of the (signature, count) pairs; its memo row exists from here on (below MEMO_CLASSES). */
  classOf(pairs: Int32Array, length: number): number {
    const cls = this.classes.idOf(pairs, length);
    if (cls < MEMO_CLASSES && (cls + 1) * CODE_SETS > this.memo.length) {
      const grown = new Int32Array(Math.max(2 * this.memo.length, (cls + 1) * CODE_SETS));
      grown.set(this.memo);
      this.memo = grown;
    }
    return cls;
  }

  /** Start of the memo row of class cls, or −1 when it has none. */
  memoRow(cls: number): number {
    return cls < MEMO_CLASSES ? cls * CODE_SETS : -1;
  }

  /**
   * Σ over the pure groups of class cls of (max(1, busiest bank) − 1) against the bank codes[from ..+ n];
   * key: their code set, or −1. Stored in the memo as 1 + the sum (0 = not yet known).
   */
  extra(cls: number, codes: Int32Array, from: number, n: number, key: number): number {
    if (key < 0 || cls >= MEMO_CLASSES) return this.direct(cls, codes, from, n, key);
    const slot = cls * CODE_SETS + key;
    if (this.memo[slot] === 0) this.memo[slot] = 1 + this.direct(cls, codes, from, n, key);
    return this.memo[slot] - 1;
  }

  private direct(cls: number, codes: Int32Array, from: number, n: number, key: number): number {
    const pairs = this.classes.keyData.data;
    let sum = 0;
    for (let i = this.classes.keyStart.data[cls]; i < this.classes.keyStart.data[cls + 1]; i += 2)
      sum += pairs[i + 1] * (this.cost(pairs[i], codes, from, n, key) - 1);
    return sum;
  }

  /** max(1, busiest bank) of one group of signature sig against bank codes[from ..+ n] (memoised by key ≥ 0). */
  private cost(sig: number, codes: Int32Array, from: number, n: number, key: number): number {
    if (key < 0) return this.exact(sig, codes, from, n);
    if ((sig + 1) * CODE_SETS > this.sigMemo.length) {
      const grown = new Int32Array(Math.max(2 * this.sigMemo.length, (sig + 1) * CODE_SETS));
      grown.set(this.sigMemo);
      this.sigMemo = grown;
    }
    const slot = sig * CODE_SETS + key;
    if (this.sigMemo[slot] === 0) this.sigMemo[slot] = this.exact(sig, codes, from, n);
    return this.sigMemo[slot];
  }

  private exact(sig: number, codes: Int32Array, from: number, n: number): number {
    const count = this.bankCount;
    count.fill(0);
    const hist = this.hist.data;
    let best = 0;
    for (let i = from; i < from + n; i++)
      for (let j = 0; j < 8; j++) {
        const m = hist[sig * 8 + j];
        if (m === 0) continue;
        const bank = this.bankOf[codes[i] ^ K_PARTS[j]];
        count[bank] += m;
        if (count[bank] > best) best = count[bank];
      }
    return Math.max(1, best);
  }
}
