import type { TileTrace } from '../../../sim/accel/types';
import { UNIT_STATE_COLOURS } from '../../lib/palette';
import { drawCycle, packColour, type PeRaster } from '../../lib/peRaster';

const PE_BACKGROUND_COLOUR = packColour('#94A3B8');
const STATE_COLOURS = Uint32Array.from(UNIT_STATE_COLOURS, (c) => packColour(c));

export interface GridGeometry {
  raster: PeRaster;
  /** Device pixels per CSS pixel. */
  dpr: number;
  /** Height of the column-progress strip above the grid, CSS pixels (0 without one). */
  top: number;
  /** Gap between PEs in device pixels (the progress bars line up with the PEs). */
  gapPx: number;
  cellPx: number;
}

function maxOf(arr: Int32Array): number {
  let m = 0;
  for (const v of arr) if (v > m) m = v;
  return m;
}

/**
 * Draws a tile trace into one canvas of fixed geometry, cycle after cycle: the units whose state changed
 * since the last drawn cycle are written into an ImageData, and only their bounding box is put back.
 */
export class GridPainter {
  private readonly image: ImageData;
  private readonly words: Uint32Array;
  private readonly drawn: Uint8Array;
  private shownStates: Uint8Array | null = null;
  private progressOf: Int32Array | null = null;
  private progressScale = 1;

  constructor(
    private readonly ctx: CanvasRenderingContext2D,
    private readonly g: GridGeometry,
  ) {
    const { raster } = g;
    this.image = ctx.createImageData(raster.width, raster.height);
    this.words = new Uint32Array(
      this.image.data.buffer,
      this.image.data.byteOffset,
      raster.width * raster.height,
    );
    this.drawn = new Uint8Array(raster.units);
  }

  paint(trace: TileTrace, cycle: number): void {
    const { ctx, g } = this;
    const { raster } = g;
    const t = Math.min(cycle, trace.storedCycles - 1);
    if (t < 0 || trace.peRows * trace.peCols * trace.unitsPerPE !== raster.units) {
      ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
      this.shownStates = null;
      return;
    }
    const full = this.shownStates !== trace.states;
    this.shownStates = trace.states;
    const dirty = drawCycle(
      raster,
      trace.states,
      t * raster.units,
      STATE_COLOURS,
      PE_BACKGROUND_COLOUR,
      this.drawn,
      this.words,
      full,
    );
    const topPx = Math.round(g.top * g.dpr);
    if (dirty)
      ctx.putImageData(this.image, 0, topPx, dirty[0], dirty[1], dirty[2] - dirty[0], dirty[3] - dirty[1]);
    if (trace.columnProgress) this.paintProgress(trace.columnProgress, trace.peCols, t);
  }

  /** Bars above the columns: steps each column has completed, blue where it runs ahead of the slowest. */
  private paintProgress(progress: Int32Array, peCols: number, t: number): void {
    const { ctx, g } = this;
    if (this.progressOf !== progress) {
      this.progressOf = progress;
      this.progressScale = Math.max(1, maxOf(progress));
    }
    ctx.setTransform(g.dpr, 0, 0, g.dpr, 0, 0);
    ctx.clearRect(0, 0, ctx.canvas.width / g.dpr, g.top);
    const row = progress.subarray(t * peCols, (t + 1) * peCols);
    let lo = Infinity;
    for (const v of row) lo = Math.min(lo, v);
    const step = g.cellPx / g.dpr;
    const inner = step - g.gapPx / g.dpr;
    for (let c = 0; c < peCols; c++) {
      const h = ((g.top - 14) * row[c]) / this.progressScale;
      ctx.fillStyle = row[c] > lo ? '#0072B2' : '#64748B';
      ctx.fillRect(c * step + 2, g.top - 6 - h, inner - 4, h);
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
  }
}
