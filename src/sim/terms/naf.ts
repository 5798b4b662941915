import { assertMagnitude, MAX_MAGNITUDE, type TermDigit } from './booth';

/** Non-adjacent form (§2.5): the minimal signed-digit representation, most significant digit first. */
export function nafDigits(m: number): TermDigit[] {
  assertMagnitude(m);
  const out: TermDigit[] = [];
  let n = m;
  for (let pos = 0; n !== 0; pos++) {
    if (n & 1) {
      const d = 2 - (n % 4);
      out.push({ pos, sign: d === 1 ? 1 : -1 });
      n -= d;
    }
    n = Math.floor(n / 2);
  }
  return out.reverse();
}

/** Plain binary ones (§2.5: DNNsim with its booth encoding compiled out), most significant first. */
export function binaryDigits(m: number): TermDigit[] {
  assertMagnitude(m);
  const out: TermDigit[] = [];
  for (let pos = 15; pos >= 0; pos--) if ((m >>> pos) & 1) out.push({ pos, sign: 1 });
  return out;
}

export function popcount(m: number): number {
  let x = m >>> 0;
  let count = 0;
  while (x !== 0) {
    x &= x - 1;
    count++;
  }
  return count;
}

function buildNafTables(): { counts: Uint8Array; masks: Uint16Array } {
  const counts = new Uint8Array(MAX_MAGNITUDE + 1);
  const masks = new Uint16Array(MAX_MAGNITUDE + 1);
  for (let m = 0; m <= MAX_MAGNITUDE; m++) {
    let mask = 0;
    let count = 0;
    let n = m;
    for (let pos = 0; n !== 0; pos++) {
      if (n & 1) {
        n -= 2 - (n % 4);
        mask |= 1 << pos;
        count++;
      }
      n = Math.floor(n / 2);
    }
    counts[m] = count;
    masks[m] = mask;
  }
  return { counts, masks };
}

let nafTables: { counts: Uint8Array; masks: Uint16Array } | undefined;
let popcountTable: Uint8Array | undefined;
let identityMasks: Uint16Array | undefined;

export function nafCountTable(): Uint8Array {
  nafTables ??= buildNafTables();
  return nafTables.counts;
}

export function nafMaskTable(): Uint16Array {
  nafTables ??= buildNafTables();
  return nafTables.masks;
}

export function popcountTable32768(): Uint8Array {
  if (!popcountTable) {
    popcountTable = new Uint8Array(MAX_MAGNITUDE + 1);
    for (let m = 1; m <= MAX_MAGNITUDE; m++) popcountTable[m] = popcountTable[m >>> 1] + (m & 1);
  }
  return popcountTable;
}

/** Binary term positions are the magnitude's own bits. */
export function binaryMaskTable(): Uint16Array {
  if (!identityMasks) {
    identityMasks = new Uint16Array(MAX_MAGNITUDE + 1);
    for (let m = 0; m <= MAX_MAGNITUDE; m++) identityMasks[m] = m;
  }
  return identityMasks;
}
