import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type { TileTrace } from '../../../sim/accel/types';
import { useApp } from '../../state/store';
import { useReadoutCycle } from '../../hooks/usePlayer';
import { peRaster } from '../../lib/peRaster';
import { GridPainter, type GridGeometry } from './gridPainter';

const PROGRESS_H = 56;
const GAP = 3;

export function unitName(trace: TileTrace): string {
  switch (trace.model) {
    case 'dlac':
      return 'output buffers';
    case 'laconic':
      return 'lanes (term pairs)';
    case 'pragmatic':
      return 'lanes (activation terms)';
    case 'stripes':
    case 'dstripes':
    case 'loom':
      return 'lanes (bits)';
    default:
      return 'units';
  }
}

/**
 * The tile at the link's cycle: a peRows × peCols grid of PEs, each split into its units coloured by
 * state. With column progress (Pragmatic), bars above the grid show how far each column has got.
 *
 * Drawn for speed while the animation plays (32×32 PEs of 16 lanes at 60 cycles/s): the canvas follows
 * the store's cycle itself (the view around it re-renders only for its readouts, a few times a second),
 * the pixel layout is computed once per size, the canvas is resized (which reallocates its backing store)
 * only when that changes, and each cycle writes just the units that changed (GridPainter).
 */
export function PeCanvas({
  trace,
  width,
  maxHeight,
}: {
  trace: TileTrace;
  width: number;
  maxHeight: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const top = trace.columnProgress ? PROGRESS_H : 0;
  const cell = Math.max(
    8,
    Math.min(44, Math.floor((width - 8) / trace.peCols), Math.floor((maxHeight - top) / trace.peRows)),
  );
  const dpr = window.devicePixelRatio || 1;
  const cellPx = Math.max(2, Math.round(cell * dpr));
  const gapPx = Math.max(1, Math.round(GAP * dpr));
  const geometry = useMemo<GridGeometry>(
    () => ({
      raster: peRaster(trace.peRows, trace.peCols, trace.unitsPerPE, cellPx, gapPx),
      dpr,
      top,
      cellPx,
      gapPx,
    }),
    [trace.peRows, trace.peCols, trace.unitsPerPE, cellPx, gapPx, dpr, top],
  );
  const canvasW = geometry.raster.width;
  const canvasH = Math.round(top * dpr) + geometry.raster.height;
  const painter = useRef<GridPainter | null>(null);

  useLayoutEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    canvas.width = canvasW;
    canvas.height = canvasH;
    painter.current = new GridPainter(ctx, geometry);
  }, [geometry, canvasW, canvasH]);

  useEffect(() => {
    const paint = (cycle: number) => painter.current?.paint(trace, cycle);
    paint(useApp.getState().link.cycle);
    return useApp.subscribe((s, prev) => {
      if (s.link.cycle !== prev.link.cycle) paint(s.link.cycle);
    });
  }, [geometry, trace]);

  const t = Math.min(useReadoutCycle(), trace.storedCycles - 1);
  return (
    <canvas
      ref={ref}
      // Its own compositing layer: a new cycle repaints the canvas, not the page around it.
      style={{ width: canvasW / dpr, height: canvasH / dpr, willChange: 'transform' }}
      role="img"
      aria-label={`${trace.peRows} by ${trace.peCols} processing elements with ${trace.unitsPerPE} ${unitName(trace)} each, at cycle ${t + 1}`}
    />
  );
}

export function progressCaption(trace: TileTrace, cycle: number): string | null {
  const p = trace.columnProgress;
  if (!p) return null;
  const t = Math.min(cycle, trace.storedCycles - 1);
  const row = Array.from(p.subarray(t * trace.peCols, (t + 1) * trace.peCols));
  const lo = Math.min(...row);
  const hi = Math.max(...row);
  return `Bars above the grid: steps each column has completed (${lo}–${hi}); blue columns run ahead of the slowest by up to ${hi - lo} step${hi - lo === 1 ? '' : 's'}.`;
}
