import { useEffect, useRef } from 'react';
import type { TileTrace } from '../../../sim/accel/types';
import { UNIT_STATE_COLOURS } from '../../lib/palette';
import { unitLayout } from '../../lib/traceStats';

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

function maxOf(arr: Int32Array): number {
  let m = 0;
  for (const v of arr) if (v > m) m = v;
  return m;
}

/**
 * The tile at one cycle: a peRows × peCols grid of PEs, each split into its units coloured by state.
 * With column progress (Pragmatic), bars above the grid show how far each column has got.
 */
export function PeCanvas({
  trace,
  cycle,
  width,
  maxHeight,
}: {
  trace: TileTrace;
  cycle: number;
  width: number;
  maxHeight: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const progress = trace.columnProgress;
  const top = progress ? PROGRESS_H : 0;
  const cell = Math.max(
    8,
    Math.min(44, Math.floor((width - 8) / trace.peCols), Math.floor((maxHeight - top) / trace.peRows)),
  );
  const cssW = cell * trace.peCols;
  const cssH = top + cell * trace.peRows;
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(cssW * dpr);
    canvas.height = Math.round(cssH * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);
    const U = trace.unitsPerPE;
    const { cols, rows } = unitLayout(U);
    const inner = cell - GAP;
    const uw = inner / cols;
    const uh = inner / rows;
    const t = Math.min(cycle, trace.storedCycles - 1);
    if (t < 0) return;
    const base = t * trace.peRows * trace.peCols * U;
    for (let r = 0; r < trace.peRows; r++) {
      for (let c = 0; c < trace.peCols; c++) {
        const x0 = c * cell;
        const y0 = top + r * cell;
        ctx.fillStyle = '#94A3B8';
        ctx.fillRect(x0, y0, inner, inner);
        const pe = base + (r * trace.peCols + c) * U;
        for (let u = 0; u < U; u++) {
          ctx.fillStyle = UNIT_STATE_COLOURS[trace.states[pe + u] & 3];
          const ux = u % cols;
          const uy = Math.floor(u / cols);
          ctx.fillRect(x0 + ux * uw + 0.5, y0 + uy * uh + 0.5, Math.max(1, uw - 1), Math.max(1, uh - 1));
        }
      }
    }
    if (progress) {
      const scale = Math.max(1, maxOf(progress));
      const row = progress.subarray(t * trace.peCols, (t + 1) * trace.peCols);
      let lo = Infinity;
      for (const v of row) lo = Math.min(lo, v);
      for (let c = 0; c < trace.peCols; c++) {
        const h = ((PROGRESS_H - 14) * row[c]) / scale;
        ctx.fillStyle = row[c] > lo ? '#0072B2' : '#64748B';
        ctx.fillRect(c * cell + 2, PROGRESS_H - 6 - h, inner - 4, h);
      }
    }
  }, [trace, cycle, cell, top, cssW, cssH, progress]);
  const t = Math.min(cycle, trace.storedCycles - 1);
  return (
    <canvas
      ref={ref}
      style={{ width: cssW, height: cssH }}
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
