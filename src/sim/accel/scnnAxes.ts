/**
 * Equivalence classes of activation coordinates along one axis of an SCNN layer (accelerators.md §10). A
 * product's validity and accumulator bank depend on the activation's coordinate x only through, for each
 * kernel offset r of its bucket, whether the output coordinate is valid and its value mod 4 (the bank uses
 * bits 0–1). Coordinates of one residue mod s that agree on all of these form one class, so that activation
 * groups can be compared by class instead of by position.
 */
import { scnnOutput, weightBucket, type ScnnLayer } from './scnnLayer';

export interface AxisClasses {
  /** Kernel offsets whose bucket pairs with residue sx, ascending: offsets[offsetStart[sx] .. offsetStart[sx + 1]). */
  offsets: Int32Array;
  offsetStart: Int32Array;
  /** Class of each coordinate among the coordinates of its residue x mod s. */
  classOf: Int32Array;
  classCount: Int32Array;
  /**
   * Output mod 4, or −1 when invalid, of class e of residue sx at its i-th offset:
   * code[codeStart[sx] + e·n + i] with n = offsetStart[sx + 1] − offsetStart[sx].
   */
  code: Int8Array;
  codeStart: Int32Array;
}

export function axisClasses(L: ScnnLayer, size: number, kernel: number, limit: number): AxisClasses {
  const s = L.s;
  const offsets: number[] = [];
  const offsetStart = new Int32Array(s + 1);
  for (let sx = 0; sx < s; sx++) {
    offsetStart[sx] = offsets.length;
    for (let r = 0; r < kernel; r++) if (weightBucket(L, r) === sx) offsets.push(r);
  }
  offsetStart[s] = offsets.length;
  const classOf = new Int32Array(size);
  const classCount = new Int32Array(s);
  const codeStart = new Int32Array(s + 1);
  const code: number[] = [];
  for (let sx = 0; sx < s; sx++) {
    codeStart[sx] = code.length;
    const seen = new Map<string, number>();
    for (let x = sx; x < size; x += s) {
      const row: number[] = [];
      for (let i = offsetStart[sx]; i < offsetStart[sx + 1]; i++) {
        const u = scnnOutput(L, x, offsets[i], limit);
        row.push(u < 0 ? -1 : u & 3);
      }
      const key = row.join(',');
      let e = seen.get(key);
      if (e === undefined) {
        e = seen.size;
        seen.set(key, e);
        code.push(...row);
      }
      classOf[x] = e;
    }
    classCount[sx] = seen.size;
  }
  codeStart[s] = code.length;
  return {
    offsets: Int32Array.from(offsets),
    offsetStart,
    classOf,
    classCount,
    code: Int8Array.from(code),
    codeStart,
  };
}
