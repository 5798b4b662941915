/**
 * Weight side of SCNN (accelerators.md §10) for one (input channel, output-channel group, bucket): the
 * bucket's non-zero weights in r-outer / q / k-inner order, cut into groups of F. A group inside one kernel
 * position ("pure") is kept only as its signature (scnnSignatures.ts), collected per position into its class;
 * consecutive filters (dense weights) give periodic signatures that are counted without visiting each group.
 * Groups spanning kernel positions ("mixed") are kept weight by weight.
 */
import { cdiv } from '../types';
import { IntList } from './intBuffers';
import { FilterCursor, zerosBelow } from './scnnFilters';
import { kPart, type ScnnLayer } from './scnnLayer';
import type { Signatures } from './scnnSignatures';

export class BucketWeights {
  /** Non-zero weights of the bucket and its groups cdiv(N, F). */
  N = 0;
  groups = 0;
  /** Per kernel position τ (bucket-local, r-outer): non-zero weights and the class of its pure groups. */
  readonly nW: Int32Array;
  readonly tapClass: Int32Array;
  /** Per kernel position: start of its class's memo row (Signatures.memoRow). */
  readonly memoRow: Int32Array;
  private readonly sigStart: Int32Array;
  private readonly sigId = new IntList();
  private readonly sigCount = new IntList();
  private pairs = new Int32Array(16);
  /** Mixed group g: weights [mixedStart[g], mixedStart[g + 1]), each as kernel position · 32 + kPart. */
  mixedGroups = 0;
  readonly mixedStart = new IntList();
  readonly mixedWeight = new IntList();
  private readonly cursor = new FilterCursor();

  /** taps: tap index r·Kw + q of each kernel position of the bucket, r-outer. */
  constructor(
    private readonly L: ScnnLayer,
    readonly sigs: Signatures,
    private readonly taps: Int32Array,
  ) {
    this.nW = new Int32Array(taps.length);
    this.tapClass = new Int32Array(taps.length);
    this.memoRow = new Int32Array(taps.length);
    this.sigStart = new Int32Array(taps.length);
  }

  fill(c: number, k0: number, k1: number): void {
    const { L, taps, nW } = this;
    const f = L.filters;
    const base = c * L.Kh * L.Kw;
    let N = 0;
    for (let i = 0; i < taps.length; i++) {
      const t = base + taps[i];
      nW[i] = f.count[t] === 0 ? 0 : k1 - k0 - (zerosBelow(f, t, k1) - zerosBelow(f, t, k0));
      N += nW[i];
    }
    this.N = N;
    this.groups = cdiv(N, L.cfg.F);
    this.sigId.clear();
    this.sigCount.clear();
    this.mixedStart.clear();
    this.mixedWeight.clear();
    let pos = 0;
    for (let i = 0; i < taps.length; i++) {
      this.sigStart[i] = this.sigId.length;
      if (nW[i] > 0) {
        this.cursor.reset(f, base + taps[i], k0, k1);
        this.addPosition(i, pos, nW[i]);
        pos += nW[i];
      }
      this.tapClass[i] = this.classOfPosition(i);
      this.memoRow[i] = this.sigs.memoRow(this.tapClass[i]);
    }
    this.mixedGroups = this.mixedStart.length;
    this.mixedStart.push(this.mixedWeight.length);
  }

  /** The n weights of kernel position t (from the cursor), at position pos of the bucket's sequence. */
  private addPosition(t: number, pos: number, n: number): void {
    const F = this.L.cfg.F;
    let left = n;
    if (pos % F !== 0) {
      // The last group of the previous position continues here.
      const m = Math.min(F - (pos % F), left);
      for (let j = 0; j < m; j++) this.pushMixed(t, this.cursor.next());
      left -= m;
    }
    const full = Math.floor(left / F);
    this.addPure(t, full, F);
    left -= full * F;
    if (left === 0) return;
    if (pos + n === this.N) {
      this.addPure(t, 1, left);
    } else {
      this.mixedStart.push(this.mixedWeight.length);
      for (let j = 0; j < left; j++) this.pushMixed(t, this.cursor.next());
    }
  }

  /** Class of the signatures collected for kernel position t: (signature, count) pairs sorted by signature. */
  private classOfPosition(t: number): number {
    const from = this.sigStart[t];
    const n = this.sigId.length - from;
    if (this.pairs.length < 2 * n) this.pairs = new Int32Array(4 * n);
    const pairs = this.pairs;
    for (let i = 0; i < n; i++) {
      const sig = this.sigId.data[from + i];
      const count = this.sigCount.data[from + i];
      let p = i - 1;
      while (p >= 0 && pairs[2 * p] > sig) {
        pairs[2 * p + 2] = pairs[2 * p];
        pairs[2 * p + 3] = pairs[2 * p + 1];
        p--;
      }
      pairs[2 * p + 2] = sig;
      pairs[2 * p + 3] = count;
    }
    return this.sigs.classOf(pairs, 2 * n);
  }

  /** The shape of the filled bucket (scnnMemo.ts): groups, class per position, mixed groups' weights. */
  writeShape(out: IntList): void {
    out.push(this.groups);
    for (let t = 0; t < this.tapClass.length; t++) out.push(this.tapClass[t]);
    for (let g = 0; g < this.mixedGroups; g++) {
      out.push(-1 - (this.mixedStart.data[g + 1] - this.mixedStart.data[g]));
      for (let w = this.mixedStart.data[g]; w < this.mixedStart.data[g + 1]; w++)
        out.push(this.mixedWeight.data[w]);
    }
  }

  private pushMixed(t: number, k: number): void {
    this.mixedWeight.push(t * 32 + kPart(k));
  }

  /** `count` pure groups of `size` weights at position t, from the cursor. */
  private addPure(t: number, count: number, size: number): void {
    const cursor = this.cursor;
    const sigs = this.sigs;
    let left = count;
    while (left > 0) {
      const inStretch = Math.min(left, Math.floor(cursor.run / size));
      if (inStretch > 0) {
        // Consecutive filters: group j starts at k ≡ first + j·size (mod 8), periodic in j.
        const first = cursor.current;
        const period = 8 / Math.min(size & -size, 8);
        for (let j = 0; j < Math.min(inStretch, period); j++)
          this.addSignature(
            t,
            sigs.ofRun((first + j * size) & 7, size),
            Math.floor((inStretch - 1 - j) / period) + 1,
          );
        cursor.advance(inStretch * size);
        left -= inStretch;
      } else {
        let key = 0;
        for (let j = 0; j < size; j++) key += sigs.pow[cursor.next() & 7];
        this.addSignature(t, sigs.ofKey(key), 1);
        left--;
      }
    }
  }

  private addSignature(t: number, sig: number, count: number): void {
    const ids = this.sigId.data;
    for (let i = this.sigStart[t]; i < this.sigId.length; i++)
      if (ids[i] === sig) {
        this.sigCount.data[i] += count;
        return;
      }
    this.sigId.push(sig);
    this.sigCount.push(count);
  }
}
