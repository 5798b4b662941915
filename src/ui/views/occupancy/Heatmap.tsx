import { useEffect, useRef } from 'react';
import { interpolateCividis } from 'd3';
import type { TraceStats } from '../../lib/traceStats';

/** PE-by-time heatmap of the effectual fraction (cividis: dark = idle, yellow = all units effectual). */
export function Heatmap({
  stats,
  cycles,
  width,
  cursor,
}: {
  stats: TraceStats;
  cycles: number;
  width: number;
  cursor: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const rowH = Math.max(1, Math.min(4, Math.floor(480 / stats.pes)));
  const height = rowH * stats.pes;
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || cycles === 0) return;
    const bins = Math.max(1, Math.min(width, cycles));
    canvas.width = bins;
    canvas.height = stats.pes;
    const img = ctx.createImageData(bins, stats.pes);
    const lut = Array.from({ length: 256 }, (_, i) => {
      const c = interpolateCividis(i / 255);
      const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(c);
      return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
    });
    for (let b = 0; b < bins; b++) {
      const t0 = Math.floor((b * cycles) / bins);
      const t1 = Math.max(t0 + 1, Math.floor(((b + 1) * cycles) / bins));
      for (let pe = 0; pe < stats.pes; pe++) {
        let sum = 0;
        for (let t = t0; t < t1; t++) sum += stats.peEffectual[t * stats.pes + pe];
        const [r, g, bl] = lut[Math.min(255, Math.floor((255 * sum) / (t1 - t0)))];
        const o = (pe * bins + b) * 4;
        img.data[o] = r;
        img.data[o + 1] = g;
        img.data[o + 2] = bl;
        img.data[o + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
  }, [stats, cycles, width]);
  const cx = cycles > 0 ? ((cursor + 0.5) / cycles) * width : 0;
  return (
    <div className="relative" style={{ width, height }}>
      <canvas
        ref={ref}
        style={{ width, height, imageRendering: 'pixelated' }}
        role="img"
        aria-label={`Heatmap of ${stats.pes} PEs over ${cycles} cycles: colour = fraction of the PE's units doing effectual work`}
      />
      <div aria-hidden className="absolute top-0 h-full w-0.5 bg-red-600" style={{ left: cx }} />
    </div>
  );
}

export function HeatmapScale() {
  const stops = Array.from({ length: 11 }, (_, i) => interpolateCividis(i / 10));
  return (
    <div className="flex items-center gap-2 text-sm">
      <span>0 % effectual</span>
      <span
        aria-hidden
        className="inline-block h-3 w-40 rounded-sm"
        style={{ background: `linear-gradient(to right, ${stops.join(',')})` }}
      />
      <span>100 %</span>
    </div>
  );
}
