/**
 * Activation side of SCNN (accelerators.md §10): per channel, the activation groups of every PE, with the
 * interior ones (all products valid) reduced to distinct residue keys so that their sums over all weight
 * groups are computed once per output-channel group.
 */
import type { ChannelActs, ScnnLayer } from './scnnLayer';

/**
 * Activation groups of one channel, prepared once and reused for every output-channel group. Interior groups
 * (all products valid) are reduced to distinct residue keys, each with a representative group, and per-PE
 * counts of each key; the other ("edge") groups are listed by their first activation.
 */
const residues = new Int32Array(4);

export interface ChannelPlan {
  /** Per bucket: representative first activation and size of each distinct interior key. */
  repStart: Int32Array[];
  repSize: Int32Array[];
  /** Per (pe, bucket) i = pe·nb + b: key ids and counts at [keyOff[i], keyOff[i + 1]). */
  keyOff: Int32Array;
  keyId: Int32Array;
  keyCount: Int32Array;
  /** Per (pe, bucket): first activations of the edge groups at [edgeOff[i], edgeOff[i + 1]). */
  edgeOff: Int32Array;
  edgeStart: Int32Array;
}

export function buildChannelPlan(
  L: ScnnLayer,
  acts: ChannelActs,
  interiorX: Uint8Array[],
  interiorY: Uint8Array[],
): ChannelPlan {
  const { I, Pg } = L.cfg;
  const nb = L.s * L.s;
  const m = 4 * L.s;
  const R2 = m * m;
  const { xs, ys } = acts;
  const cells = Pg * Pg * nb;
  const keyOff = new Int32Array(cells + 1);
  const edgeOff = new Int32Array(cells + 1);
  const keyId: number[] = [];
  const keyCount: number[] = [];
  const edgeStart: number[] = [];
  const keyMaps = Array.from({ length: nb }, () => new KeyTable());
  const repStart: number[][] = Array.from({ length: nb }, () => []);
  const repSize: number[][] = Array.from({ length: nb }, () => []);
  // Keys (count, 4 sorted residues) must stay below 2^31 for KeyTable: strides up to 2.
  const memoable = I <= 4 && 5 * R2 ** 4 < 2 ** 31;
  const local = new Int32Array(Math.max(1, Math.ceil(acts.xs.length / I)));
  let nLocal = 0;
  for (let pe = 0; pe < Pg * Pg; pe++)
    for (let b = 0; b < nb; b++) {
      const cell = pe * nb + b;
      keyOff[cell] = keyId.length;
      edgeOff[cell] = edgeStart.length;
      const aStart = acts.start[cell];
      const aEnd = acts.start[cell + 1];
      nLocal = 0;
      for (let g0 = aStart; g0 < aEnd; g0 += I) {
        const g1 = Math.min(g0 + I, aEnd);
        let interior = memoable;
        for (let a = g0; a < g1 && interior; a++) {
          residues[a - g0] = (xs[a] % m) * m + (ys[a] % m);
          if (!interiorX[b][xs[a]] || !interiorY[b][ys[a]]) interior = false;
        }
        if (!interior) {
          edgeStart.push(g0);
          continue;
        }
        const key = residueKey(residues, g1 - g0, R2);
        let id = keyMaps[b].get(key);
        if (id < 0) {
          id = repStart[b].length;
          keyMaps[b].set(key, id);
          repStart[b].push(g0);
          repSize[b].push(g1 - g0);
        }
        local[nLocal++] = id;
      }
      const ids = local.subarray(0, nLocal).sort();
      for (let i = 0; i < nLocal;) {
        let j = i;
        while (j < nLocal && ids[j] === ids[i]) j++;
        keyId.push(ids[i]);
        keyCount.push(j - i);
        i = j;
      }
    }
  keyOff[cells] = keyId.length;
  edgeOff[cells] = edgeStart.length;
  return {
    repStart: repStart.map((r) => Int32Array.from(r)),
    repSize: repSize.map((r) => Int32Array.from(r)),
    keyOff,
    keyId: Int32Array.from(keyId),
    keyCount: Int32Array.from(keyCount),
    edgeOff,
    edgeStart: Int32Array.from(edgeStart),
  };
}

/** Open-addressing map from integer keys in [0, 2^31) to non-negative ids; −1 = absent. */
class KeyTable {
  private keys = new Int32Array(64).fill(-1);
  private ids = new Int32Array(64);
  private size = 0;

  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let i = (Math.imul(key, 0x9e3779b1) >>> 8) & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i];
      if (k === key) return this.ids[i];
      if (k < 0) return -1;
    }
  }

  set(key: number, id: number): void {
    if (2 * (this.size + 1) > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let i = (Math.imul(key, 0x9e3779b1) >>> 8) & mask;
    while (this.keys[i] >= 0 && this.keys[i] !== key) i = (i + 1) & mask;
    if (this.keys[i] < 0) this.size++;
    this.keys[i] = key;
    this.ids[i] = id;
  }

  private grow(): void {
    const keys = this.keys;
    const ids = this.ids;
    this.keys = new Int32Array(keys.length * 2).fill(-1);
    this.ids = new Int32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] >= 0) this.set(keys[i], ids[i]);
  }
}

const sortedResidues = new Int32Array(4);

/** Order-free key of the first nA residues (the group's cost does not depend on the order of its activations). */
function residueKey(residues: Int32Array, nA: number, R2: number): number {
  for (let i = 0; i < nA; i++) {
    const v = residues[i];
    let p = i - 1;
    while (p >= 0 && sortedResidues[p] > v) {
      sortedResidues[p + 1] = sortedResidues[p];
      p--;
    }
    sortedResidues[p + 1] = v;
  }
  let key = nA;
  for (let i = 0; i < nA; i++) key = key * R2 + sortedResidues[i];
  return key;
}
