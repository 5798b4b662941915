/**
 * Pixel layout of the PE grid, so that a cycle is drawn by writing pixels into one ImageData and putting
 * only the part that changed (one putImageData per frame) instead of one fillRect per unit — at 32×32 PEs
 * of 16 lanes that was 17,000 canvas calls a frame. Pure functions over typed arrays (no DOM), so they are
 * tested in Node.
 */
import { unitLayout } from './traceStats';

export interface PeRaster {
  /** Size of the grid image in device pixels. */
  width: number;
  height: number;
  unitsPerPE: number;
  units: number;
  /** Per unit (PE-major, as in a trace cycle): x0, y0, x1, y1 (end-exclusive) in device pixels. */
  unitRects: Int32Array;
  /** Per PE: x0, y0, x1, y1 of its background square. */
  peRects: Int32Array;
}

/** Unit boundaries along one side of a PE: 1-pixel gaps between and around units when there is room. */
function spans(inner: number, n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let k = 0; k < n; k++) {
    const a = 1 + Math.floor((k * (inner - 1)) / n);
    const b = 1 + Math.floor(((k + 1) * (inner - 1)) / n);
    // The trailing pixel is the gap to the next unit, unless that would leave nothing to colour.
    out.push(b - a >= 2 ? [a, b - 1] : [Math.min(a, inner - 1), Math.min(Math.max(a + 1, b), inner)]);
  }
  return out;
}

/**
 * Layout of `peRows × peCols` PEs of `unitsPerPE` units, each PE in a `cell`-pixel square of which the
 * last `gap` pixels separate it from the next PE (all sizes in device pixels).
 */
export function peRaster(
  peRows: number,
  peCols: number,
  unitsPerPE: number,
  cell: number,
  gap: number,
): PeRaster {
  const inner = Math.max(1, cell - gap);
  const { cols, rows } = unitLayout(unitsPerPE);
  const xs = spans(inner, cols);
  const ys = spans(inner, rows);
  const pes = peRows * peCols;
  const unitRects = new Int32Array(pes * unitsPerPE * 4);
  const peRects = new Int32Array(pes * 4);
  for (let r = 0; r < peRows; r++)
    for (let c = 0; c < peCols; c++) {
      const pe = r * peCols + c;
      const x = c * cell;
      const y = r * cell;
      peRects.set([x, y, x + inner, y + inner], pe * 4);
      for (let u = 0; u < unitsPerPE; u++) {
        const [x0, x1] = xs[u % cols];
        const [y0, y1] = ys[Math.floor(u / cols)];
        unitRects.set([x + x0, y + y0, x + x1, y + y1], (pe * unitsPerPE + u) * 4);
      }
    }
  return {
    width: cell * peCols,
    height: cell * peRows,
    unitsPerPE,
    units: pes * unitsPerPE,
    unitRects,
    peRects,
  };
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** '#RRGGBB' as the 32-bit word an RGBA ImageData holds for it, in this machine's byte order. */
export function packColour(hex: string, alpha = 255): number {
  const v = Number.parseInt(hex.slice(1, 7), 16);
  const r = (v >> 16) & 255;
  const g = (v >> 8) & 255;
  const b = v & 255;
  return littleEndian
    ? ((alpha << 24) | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | alpha) >>> 0;
}

function fillRect(out: Uint32Array, width: number, rects: Int32Array, i: number, colour: number): void {
  const w = rects[i + 2] - rects[i];
  // Units are a few pixels wide: a plain loop beats a TypedArray.fill call per row.
  for (let y = rects[i + 1], row = y * width + rects[i]; y < rects[i + 3]; y++, row += width)
    for (let x = 0; x < w; x++) out[row + x] = colour;
}

/** Dirty rectangle of a draw call in device pixels, end-exclusive; null when nothing changed. */
export type Dirty = [x0: number, y0: number, x1: number, y1: number] | null;

/**
 * Draws one cycle into `out` (width × height words of an ImageData). `states` from `base` holds the
 * cycle's units, coloured by `stateColours[state & 3]`. `drawn` (one byte per unit) remembers what the
 * image shows, so only units whose state changed are written; pass `full` after a layout change (or for
 * the first frame) to draw everything, the PE backgrounds and the transparent gaps included.
 */
export function drawCycle(
  raster: PeRaster,
  states: Uint8Array,
  base: number,
  stateColours: ArrayLike<number>,
  background: number,
  drawn: Uint8Array,
  out: Uint32Array,
  full: boolean,
): Dirty {
  const { width, unitRects, peRects, units } = raster;
  if (full) {
    out.fill(0);
    for (let i = 0; i < peRects.length; i += 4) fillRect(out, width, peRects, i, background);
    drawn.fill(255);
  }
  // PEs are row-major, so the PEs of the first and last changed unit bound the dirty rows.
  let first = -1;
  let last = -1;
  let x0 = Infinity;
  let x1 = -Infinity;
  for (let u = 0; u < units; u++) {
    const s = states[base + u] & 3;
    if (drawn[u] === s) continue;
    drawn[u] = s;
    const i = u * 4;
    fillRect(out, width, unitRects, i, stateColours[s]);
    if (first < 0) first = u;
    last = u;
    if (unitRects[i] < x0) x0 = unitRects[i];
    if (unitRects[i + 2] > x1) x1 = unitRects[i + 2];
  }
  if (full) return [0, 0, raster.width, raster.height];
  if (first < 0) return null;
  const upe = raster.unitsPerPE;
  return [x0, peRects[Math.floor(first / upe) * 4 + 1], x1, peRects[Math.floor(last / upe) * 4 + 3]];
}
