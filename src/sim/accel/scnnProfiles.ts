/**
 * Activation side of SCNN (accelerators.md §10). Every PE cuts the non-zero activations of each bucket
 * (x-outer / y-inner over its tile) into groups of I; a group's cost against any weight group depends only on
 * the multiset of its activations' axis classes (scnnAxes.ts), so equal multisets share one profile. A
 * profile lists, per kernel position of its bucket where some activation is valid, the bank codes of the
 * valid activations. Profiles depend on neither the channel nor the filter group, so they are kept for the
 * whole layer; each channel only lists its groups' profiles.
 */
import { IntList, TupleIds } from './intBuffers';
import type { AxisClasses } from './scnnAxes';
import { uvPart, type ScnnLayer } from './scnnLayer';

/** Distinct sorted lists of at most 4 bank codes (8 values each): memo keys 0 .. CODE_SETS − 1. */
export const CODE_SETS = 495;
/** Key of a sorted list of ≤ 4 codes from its base-9 digits (code / 4 + 1). */
const CODE_SET_OF = (() => {
  const table = new Int32Array(9 ** 4).fill(-1);
  let next = 0;
  const visit = (digits: number, length: number, min: number): void => {
    table[digits] = next++;
    if (length < 4) for (let d = min; d <= 8; d++) visit(digits * 9 + d, length + 1, d);
  };
  visit(0, 0, 1);
  return table;
})();

export class ScnnProfiles {
  /** Number of profiles; the fields below are indexed by profile p or entry e. */
  count = 0;
  readonly bucketOf = new IntList();
  /** Entries of p at [entStart[p], entStart[p + 1]): kernel positions (bucket-local) with a valid act. */
  readonly entStart = new IntList();
  readonly entTap = new IntList();
  readonly entValid = new IntList();
  /** Bank codes (uvPart) of the valid acts at codes[entCode[e] ..+ entValid[e]), sorted ascending. */
  readonly entCode = new IntList();
  readonly codes = new IntList();
  /** Memo key of the sorted codes (< CODE_SETS) when I ≤ 4, else −1. */
  readonly entKey = new IntList();
  /** Loaded channel: groups of PE pe at groupProfile[peStart[pe] .. peStart[pe + 1]). */
  readonly peStart: Int32Array;
  readonly groupProfile = new IntList();
  /** Loaded channel: its distinct profiles, and its non-zero activations per (pe, bucket). */
  readonly used = new IntList();
  readonly cellActs: Int32Array;
  /** Per profile: last channel that used it. */
  private readonly usedBy = new IntList();

  private readonly ids = new TupleIds();
  private readonly queue: Int32Array;
  private readonly tuple: Int32Array;
  private readonly codeScratch: Int32Array;
  /** Scratch: rows of a new profile's acts in the x and y code tables. */
  private readonly rowX: Int32Array;
  private readonly rowY: Int32Array;
  private channel = -1;

  constructor(
    private readonly L: ScnnLayer,
    private readonly X: AxisClasses,
    private readonly Y: AxisClasses,
  ) {
    const { Pg, I } = L.cfg;
    const nb = L.s * L.s;
    this.peStart = new Int32Array(Pg * Pg + 1);
    this.cellActs = new Int32Array(Pg * Pg * nb);
    this.queue = new Int32Array(I);
    this.tuple = new Int32Array(I + 1);
    this.codeScratch = new Int32Array(I);
    this.rowX = new Int32Array(I);
    this.rowY = new Int32Array(I);
    this.entStart.push(0);
  }

  load(c: number): void {
    this.channel = c;
    const { Pg } = this.L.cfg;
    const s = this.L.s;
    this.groupProfile.clear();
    this.used.clear();
    this.cellActs.fill(0);
    for (let pe = 0; pe < Pg * Pg; pe++) {
      this.peStart[pe] = this.groupProfile.length;
      for (let b = 0; b < s * s; b++) this.scanQueue(c, pe, b);
    }
    this.peStart[Pg * Pg] = this.groupProfile.length;
  }

  /** Groups of I consecutive non-zero activations of bucket b in PE pe's tile (x-outer, y-inner). */
  private scanQueue(c: number, pe: number, b: number): void {
    const { L, queue } = this;
    const { Pg, I } = L.cfg;
    const s = L.s;
    const sx = Math.floor(b / s);
    const sy = b % s;
    const classX = this.X.classOf;
    const classY = this.Y.classOf;
    const classesY = this.Y.classCount[sy];
    const act = L.act;
    const x0 = Math.floor(pe / Pg) * L.tw;
    const y0 = (pe % Pg) * L.th;
    // First coordinates of the tile in the bucket's residues.
    const xFirst = x0 + ((sx - (x0 % s) + s) % s);
    const yFirst = y0 + ((sy - (y0 % s) + s) % s);
    let n = 0;
    for (let x = xFirst; x < x0 + L.tw; x += s) {
      const row = (c * L.Xe + x) * L.Ye;
      const base = classX[x] * classesY;
      for (let y = yFirst; y < y0 + L.th; y += s) {
        // Branch-light: every position is queued, only non-zero ones (act = 1) advance the queue.
        queue[n] = base + classY[y];
        n += act[row + y];
        if (n === I) {
          this.emit(pe, b, n);
          n = 0;
        }
      }
    }
    if (n > 0) this.emit(pe, b, n);
  }

  /** Closes a group of n activations (queue[0 .. n)) of bucket b of PE pe: its profile, created on first sight. */
  private emit(pe: number, b: number, n: number): void {
    this.cellActs[pe * this.L.s * this.L.s + b] += n;
    const t = this.tuple;
    t[0] = b;
    for (let i = 0; i < n; i++) insertSorted(t, 1, i, this.queue[i]);
    const id = this.ids.idOf(t, n + 1);
    if (id === this.count) this.create(b, n);
    if (this.usedBy.data[id] !== this.channel) {
      this.usedBy.data[id] = this.channel;
      this.used.push(id);
    }
    this.groupProfile.push(id);
  }

  /** Entries of a new profile: the bank codes of its n acts (tuple[1 ..]) at each kernel position. */
  private create(b: number, n: number): void {
    const { L, X, Y, rowX, rowY } = this;
    const sx = Math.floor(b / L.s);
    const sy = b % L.s;
    const nR = X.offsetStart[sx + 1] - X.offsetStart[sx];
    const nQ = Y.offsetStart[sy + 1] - Y.offsetStart[sy];
    for (let i = 0; i < n; i++) {
      const id = this.tuple[1 + i];
      const ex = Math.floor(id / Y.classCount[sy]);
      rowX[i] = X.codeStart[sx] + ex * nR;
      rowY[i] = Y.codeStart[sy] + (id - ex * Y.classCount[sy]) * nQ;
    }
    const codes = this.codeScratch;
    for (let ri = 0; ri < nR; ri++)
      for (let qi = 0; qi < nQ; qi++) {
        let valid = 0;
        for (let i = 0; i < n; i++) {
          const u = X.code[rowX[i] + ri];
          const v = Y.code[rowY[i] + qi];
          if (u >= 0 && v >= 0) insertSorted(codes, 0, valid++, uvPart(u, v));
        }
        if (valid > 0) this.addEntry(ri * nQ + qi, codes, valid);
      }
    this.entStart.push(this.entTap.length);
    this.bucketOf.push(b);
    this.usedBy.push(-1);
    this.count++;
  }

  private addEntry(tap: number, codes: Int32Array, valid: number): void {
    this.entTap.push(tap);
    this.entValid.push(valid);
    this.entCode.push(this.codes.length);
    let key = 0;
    for (let i = 0; i < valid; i++) {
      this.codes.push(codes[i]);
      key = key * 9 + (codes[i] >> 2) + 1;
    }
    this.entKey.push(this.L.cfg.I <= 4 ? CODE_SET_OF[key] : -1);
  }
}

/** Inserts v into the ascending list[from .. from + n), which grows by one. */
function insertSorted(list: Int32Array, from: number, n: number, v: number): void {
  let p = from + n - 1;
  while (p >= from && list[p] > v) {
    list[p + 1] = list[p];
    p--;
  }
  list[p + 1] = v;
}
