/**
 * Test-only reference term encoders: literal transliterations of accelerators.md §2.2 and §2.5, kept
 * independent of src/sim/terms so the fast tables can be checked against them.
 */
export type RefEncoding = 'boothLike' | 'naf' | 'popcount';

export function refBoothLikeDigits(m: number): Array<{ pos: number; sign: 1 | -1 }> {
  if (!Number.isInteger(m) || m < 0 || m >= 32768) throw new Error(`bad magnitude ${m}`);
  const bit = (q: number) => (q < 0 ? 0 : (m >>> q) & 1);
  const out: Array<{ pos: number; sign: 1 | -1 }> = [];
  let inRun = false;
  for (let q = 15; q >= 0; q--) {
    const b0 = bit(q),
      b1 = bit(q - 1),
      b2 = bit(q - 2);
    if (!inRun) {
      if (b0 === 1 && b1 === 1 && b2 === 1) {
        out.push({ pos: q + 1, sign: 1 });
        inRun = true;
      } else if (b0 === 1) out.push({ pos: q, sign: 1 });
    } else if (b0 === 0 && b1 === 1) out.push({ pos: q, sign: -1 });
    else if (b0 === 1 && b1 === 0 && b2 === 0) {
      out.push({ pos: q, sign: -1 });
      inRun = false;
    } else if (b0 === 0) throw new Error('unreachable window');
  }
  return out;
}

export function refNafPositions(m: number): number[] {
  const out: number[] = [];
  let n = m;
  let pos = 0;
  while (n) {
    if (n & 1) {
      const d = 2 - (n % 4);
      n -= d;
      out.push(pos);
    }
    n = Math.floor(n / 2);
    pos++;
  }
  return out;
}

const cache: Record<RefEncoding, Array<number[] | undefined>> = { boothLike: [], naf: [], popcount: [] };

/** Ascending term positions of |v| under the encoding. */
export function refTermPositions(v: number, encoding: RefEncoding): number[] {
  const m = Math.abs(v);
  let positions = cache[encoding][m];
  if (!positions) {
    if (encoding === 'boothLike') positions = refBoothLikeDigits(m).map((d) => d.pos);
    else if (encoding === 'naf') positions = refNafPositions(m);
    else positions = [...Array(16).keys()].filter((q) => (m >>> q) & 1);
    positions.sort((a, b) => a - b);
    cache[encoding][m] = positions;
  }
  return positions;
}

export function refT(v: number, encoding: RefEncoding): number {
  return refTermPositions(v, encoding).length;
}
