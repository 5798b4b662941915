/** Allocation-light integer containers for hot simulation loops: a growable list and a tuple → id table. */

export class IntList {
  data = new Int32Array(64);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }

  clear(): void {
    this.length = 0;
  }

  private grow(): void {
    const next = new Int32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
}

/** Dense ids 0, 1, … for integer tuples, in order of first appearance (open addressing, linear probing). */
export class TupleIds {
  size = 0;
  /** Tuple of id at keyData[keyStart[id] .. keyStart[id + 1]). */
  readonly keyStart = new IntList();
  readonly keyData = new IntList();
  private slots = new Int32Array(256).fill(-1);

  constructor() {
    this.keyStart.push(0);
  }

  /** Id of data[from .. from + len), assigned on first sight (then it equals size − 1). */
  idOf(data: Int32Array, len: number, from = 0): number {
    if (2 * (this.size + 1) > this.slots.length) this.grow();
    const mask = this.slots.length - 1;
    for (let i = this.hash(data, from, len) & mask; ; i = (i + 1) & mask) {
      const id = this.slots[i];
      if (id < 0) {
        this.slots[i] = this.size;
        for (let j = 0; j < len; j++) this.keyData.push(data[from + j]);
        this.keyStart.push(this.keyData.length);
        return this.size++;
      }
      if (this.equals(id, data, from, len)) return id;
    }
  }

  private hash(data: Int32Array, from: number, len: number): number {
    let h = Math.imul(len, 0x27d4eb2d);
    for (let j = 0; j < len; j++) h = Math.imul(h ^ data[from + j], 0x9e3779b1) ^ (h >>> 15);
    return (h ^ (h >>> 16)) >>> 0;
  }

  private equals(id: number, data: Int32Array, from: number, len: number): boolean {
    const start = this.keyStart.data[id];
    if (this.keyStart.data[id + 1] - start !== len) return false;
    const keys = this.keyData.data;
    for (let j = 0; j < len; j++) if (keys[start + j] !== data[from + j]) return false;
    return true;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = this.slots.length - 1;
    const starts = this.keyStart.data;
    for (let id = 0; id < this.size; id++) {
      let i = this.hash(this.keyData.data, starts[id], starts[id + 1] - starts[id]) & mask;
      while (this.slots[i] >= 0) i = (i + 1) & mask;
      this.slots[i] = id;
    }
  }
}
